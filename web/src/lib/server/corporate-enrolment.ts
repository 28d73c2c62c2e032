// The HR pages of employees (cw-enrolment): the upload of the enrolment file
// to the corporate-welfare subgraph (streamed through the gateway, as the Comune's imports), and
// the template file.
import { config } from './config';
import type { GatewayContext } from './gateway';
import { UPLOAD_TIMEOUT_MS, type UploadResult, uploadOutcome } from './uploads';

/** The columns of the enrolment file, in order (`data_fine` optional). */
export const ENROLMENT_COLUMNS = [
  'codice_fiscale',
  'nome',
  'cognome',
  'email',
  'categoria',
  'data_inizio',
  'figli_a_carico',
  'data_fine',
] as const;

/** The template file: the header and one example row (`;`, the Italian Excel dialect, BOM). */
export function enrolmentTemplate(): string {
  return `\ufeff${ENROLMENT_COLUMNS.join(';')}\r\nRSSMRA80A01H501U;Mario;Rossi;mario.rossi@example.it;OPERAI;01/01/2026;1;\r\n`;
}

/**
 * Streams an enrolment CSV to the gateway's upload route with the session (as GraphQL calls go).
 * Never throws: a network failure or a timeout is `unavailable`.
 */
export async function uploadEnrolment(
  context: GatewayContext,
  upload: { employerId: string; file: Blob },
): Promise<UploadResult> {
  const headers: Record<string, string> = {
    'content-type': 'text/csv',
    accept: 'application/json',
    'x-request-id': context.requestId,
  };
  if (context.token) headers.authorization = `Bearer ${context.token}`;
  if (context.clientAddress) headers['x-forwarded-for'] = context.clientAddress;
  const init: RequestInit & { duplex: 'half' } = {
    method: 'POST',
    headers,
    body: upload.file.stream(),
    duplex: 'half',
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  };
  try {
    const url = new URL('/uploads/corporate-welfare/imports/employees', config().gatewayUrl);
    url.searchParams.set('employerId', upload.employerId);
    const response = await fetch(url, init);
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON (a proxy's error page): the status alone decides.
    }
    return uploadOutcome(response.status, body);
  } catch {
    return { ok: false, problem: 'unavailable', error: undefined };
  }
}
