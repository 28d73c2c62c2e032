// The one client of the corporate-welfare claim upload route (cw-claims): a claim and its
// receipts go to the subgraph as one multipart form, not through GraphQL. Server-only.
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { config } from './config';
import type { DownloadTarget } from './downloads';
import { type FormFailure, formFailure, normaliseErrors } from './errors';
import type { GatewayContext } from './gateway';

/** A claim with a few receipts of a few megabytes: two minutes is plenty. */
export const CLAIM_UPLOAD_TIMEOUT_MS = 120_000;

export const CLAIM_UPLOAD_PATH = '/uploads/corporate-welfare/files/claims';

/** The claim form's text fields, as the subgraph reads them. */
export const CLAIM_FIELDS = [
  'planId',
  'purpose',
  'relationship',
  'beneficiaryName',
  'beneficiaryFiscalCode',
  'beneficiaryBirthDate',
  'expenseDate',
  'description',
  'amount',
] as const;

/** The form's fields with a message of their own (the receipts' indexed fields fold into one). */
export const CLAIM_FORM_FIELDS = [...CLAIM_FIELDS, 'receipts'] as const;

export type ClaimFilingResult =
  { ok: true; claimId: string } | { ok: false; status: number; failure: FormFailure };

/** Maps the upload route's answer to the outcome (field messages by the form's names). Pure. */
export function claimOutcome(status: number, body: unknown): ClaimFilingResult {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (status === 201 || status === 200) {
    const claimId = record.claimId;
    if (typeof claimId === 'string' && claimId.length > 0) return { ok: true, claimId };
  }
  const errors = normaliseErrors(record.errors).map((e) => ({
    ...e,
    // `receipts.0`, `receipts.1`…: shown on the one file input.
    fields: e.fields.map((f) => ({ ...f, field: f.field.replace(/^receipts\.\d+$/, 'receipts') })),
  }));
  if (status === 413) {
    return {
      ok: false,
      status,
      failure: { message: both(m.cwc_form_invalid), fields: { receipts: both(m.cwc_too_large) } },
    };
  }
  if (errors.length === 0 || status >= 500 || status === 0) {
    return { ok: false, status: 503, failure: { message: both(m.error_503_text), fields: {} } };
  }
  const failure = formFailure(errors, CLAIM_FORM_FIELDS);
  const message: Localized =
    status === 400 ? both(m.cwc_form_invalid) : (errors[0]?.messages ?? failure.message);
  return { ok: false, status, failure: { ...failure, message } };
}

/**
 * Sends a claim form (its text fields and every non-empty `receipts` file) to the gateway's
 * upload route with the session, the client address and the request id (as GraphQL calls go).
 * Never throws: a network failure or a timeout is a 503 failure.
 */
export async function fileClaim(
  context: GatewayContext,
  data: FormData,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ClaimFilingResult> {
  const body = new FormData();
  for (const name of CLAIM_FIELDS) {
    const value = data.get(name);
    body.set(name, typeof value === 'string' ? value : '');
  }
  if (data.has('beneficiaryDependent')) body.set('beneficiaryDependent', 'on');
  for (const file of data.getAll('receipts')) {
    if (typeof file === 'string' || (file.size === 0 && !file.name)) continue;
    body.append('receipts', file, file.name);
  }
  const headers: Record<string, string> = {
    accept: 'application/json',
    'x-request-id': context.requestId,
  };
  if (context.token) headers.authorization = `Bearer ${context.token}`;
  if (context.clientAddress) headers['x-forwarded-for'] = context.clientAddress;
  try {
    const response = await (options.fetch ?? fetch)(
      new URL(CLAIM_UPLOAD_PATH, config().gatewayUrl),
      {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? CLAIM_UPLOAD_TIMEOUT_MS),
      },
    );
    let json: unknown = null;
    try {
      json = await response.json();
    } catch {
      // Not JSON (a proxy's error page): the status alone decides.
    }
    return claimOutcome(response.status, json);
  } catch {
    return claimOutcome(0, null);
  }
}

/** A receipt of a claim, as the subgraph's download route serves it. */
export function receiptTarget(receiptId: string): DownloadTarget {
  return {
    subgraph: 'corporate-welfare',
    path: 'files/claim-receipt',
    params: new URLSearchParams({ id: receiptId }),
  };
}

/** The month's payroll export of an employer, as CSV or Excel. */
export function payrollTarget(
  employerId: string,
  month: string,
  format: 'csv' | 'xlsx',
): DownloadTarget {
  return {
    subgraph: 'corporate-welfare',
    path: `exports/payroll.${format}`,
    params: new URLSearchParams({ employerId, month }),
  };
}
