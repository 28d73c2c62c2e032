// The IES payment pages' server side, shared by the citizen's and the organisations' areas:
// asking to be paid (a request shown as a QR code), paying a request with its fee once per
// idempotency key, and an unknown outcome learnt by that key.
import { randomUUID } from 'node:crypto';
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroCents } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from './forms';
import {
  CreateIesPaymentRequestMutation,
  IesCircuitsForPayQuery,
  IesPaymentByKeyQuery,
  IesPaymentRequestQuery,
  MyIesPaymentsQuery,
  PayIesPaymentRequestMutation,
} from './operations-ies-pay';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How long a request stays payable, as offered by the form (minutes). */
export const EXPIRY_CHOICES = [15, 60, 1_440, 10_080] as const;

/** A QR code of `text` as an SVG data URL. */
async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** The receive page: the circuits to choose from and the member's last payments. */
export async function receiveLoad(
  event: RequestEvent,
  organisationId: string | null,
  circuitCode: string | null,
) {
  const circuits = await event.locals.api(IesCircuitsForPayQuery, {});
  const list = circuits.data?.iesCircuits ?? [];
  const code = circuitCode ?? list[0]?.code ?? null;
  const payments = code
    ? await event.locals.api(MyIesPaymentsQuery, { circuitCode: code, organisationId })
    : null;
  return {
    circuits: list,
    circuitCode: code,
    payments: payments?.data?.myIesPayments ?? [],
    paymentsError: payments && !payments.data ? (payments.errors[0]?.messages ?? null) : null,
    expiryChoices: [...EXPIRY_CHOICES],
  };
}

const RECEIVE_FIELDS = ['circuitCode', 'amountCents', 'description', 'expiresInMinutes'] as const;

/** Creates the request and shows its QR code and link. */
export async function receiveAction(event: RequestEvent, organisationId: string | null) {
  const data = await event.request.formData();
  const values = {
    circuitCode: text(data, 'circuitCode'),
    amountCents: text(data, 'amountCents'),
    description: text(data, 'description'),
    expiresInMinutes: text(data, 'expiresInMinutes'),
  };
  const fields: Record<string, Localized> = {};
  let amountCents: number | null = null;
  if (values.amountCents) {
    amountCents = parseEuroCents(values.amountCents);
    if (amountCents === null || amountCents < 1) fields.amountCents = both(m.iep_error_amount);
  }
  if (!values.description) fields.description = both(m.required_field);
  if (!values.circuitCode) fields.circuitCode = both(m.required_field);
  const minutes = Number(values.expiresInMinutes || 1_440);
  if (Object.keys(fields).length > 0) {
    return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
  }
  const result = await event.locals.api(CreateIesPaymentRequestMutation, {
    input: {
      circuitCode: values.circuitCode,
      amountCents,
      description: values.description,
      expiresInMinutes: minutes,
      organisationId,
    },
  });
  const request = result.data?.createIesPaymentRequest;
  if (!request) return failWith(result, [...RECEIVE_FIELDS], values);
  const url = `${event.url.origin}${request.payPath}`;
  return { created: { ...request, url, qr: await qrDataUrl(url) }, values };
}

/** The enter-a-code page: a request's code or its whole link, to its confirm page. */
export function enterAction(data: FormData, base: string) {
  const given = text(data, 'code');
  const id = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(given)?.[1];
  if (!id) {
    return fail(400, {
      failure: { message: both(m.form_invalid), fields: { code: both(m.iep_error_code) } },
      values: { code: given },
    });
  }
  redirect(303, `${base}/${id.toLowerCase()}`);
}

/** The confirm page: the request with the fee for its amount (or the one typed), a fresh key. */
export async function confirmLoad(event: RequestEvent, requestId: string) {
  const typed = event.url.searchParams.get('importo') ?? '';
  const amountCents = typed ? parseEuroCents(typed) : null;
  const result = UUID.test(requestId)
    ? await event.locals.api(IesPaymentRequestQuery, {
        id: requestId,
        amountCents: amountCents && amountCents > 0 ? amountCents : null,
      })
    : null;
  return {
    request: result?.data?.iesPaymentRequest ?? null,
    notFound: !result || (!result.data && result.errors[0]?.code === 'NOT_FOUND'),
    unavailable: !!result && !result.data && result.errors[0]?.code !== 'NOT_FOUND',
    typed,
    typedInvalid: typed !== '' && !(amountCents && amountCents > 0),
    amountCents: amountCents && amountCents > 0 ? amountCents : null,
    idempotencyKey: randomUUID(),
  };
}

const PAY_FIELDS = ['amountCents', 'requestId', 'idempotencyKey'] as const;

/**
 * Pays with the form's key. When the answer is lost, the payment is asked for by that key: done,
 * or shown as unknown with a button that retries with the same key.
 */
export async function payAction(
  event: RequestEvent,
  requestId: string,
  organisationId: string | null,
) {
  const data = await event.request.formData();
  const values = {
    amountCents: text(data, 'amountCents'),
    idempotencyKey: text(data, 'idempotencyKey'),
  };
  const amountCents = values.amountCents ? parseEuroCents(values.amountCents) : null;
  if (!UUID.test(values.idempotencyKey)) values.idempotencyKey = randomUUID();
  const result = await event.locals.api(PayIesPaymentRequestMutation, {
    input: { requestId, amountCents, idempotencyKey: values.idempotencyKey, organisationId },
  });
  const paid = result.data?.payIesPaymentRequest;
  if (paid) return { paid, values };
  if (result.outcomeUnknown || result.unavailable) {
    const known = await event.locals.api(IesPaymentByKeyQuery, { key: values.idempotencyKey });
    if (known.data?.iesPayment) return { paid: known.data.iesPayment, values };
    return fail(503, { unknown: true, values });
  }
  return failWith(result, [...PAY_FIELDS], values, {});
}
