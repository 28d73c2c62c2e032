// Card issuance and replacement: a POST to the gateway's upload route, whose answer is the PDF
// of the new letters (the only place the PINs ever appear), streamed on to the browser.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { requireComuneStaff } from '$lib/server/guards';
import { loginPath } from '$lib/server/redirect';
import { cardFileUrl } from './card-files';

export { lettersResponse } from './card-files';

/** Rendering many letters may take a while: far longer than one GraphQL call. */
const CARD_FILE_TIMEOUT_MS = 5 * 60_000;

export type CardFileOutcome =
  | { kind: 'pdf'; response: Response }
  | { kind: 'nothing' | 'unauthenticated' | 'notFound' | 'conflict' | 'invalid' | 'unavailable' };

/** Calls the route as the person (session, address, request id). Never throws. */
export async function postCardFile(
  event: RequestEvent,
  route: 'issue' | 'replace',
  params: Record<string, string>,
): Promise<CardFileOutcome> {
  const headers: Record<string, string> = {
    accept: 'application/pdf, application/json',
    'x-request-id': event.locals.requestId,
  };
  if (event.locals.sessionToken) headers.authorization = `Bearer ${event.locals.sessionToken}`;
  if (event.locals.clientAddress) headers['x-forwarded-for'] = event.locals.clientAddress;
  try {
    const response = await fetch(cardFileUrl(config().gatewayUrl, route, params), {
      method: 'POST',
      headers,
      signal: AbortSignal.timeout(CARD_FILE_TIMEOUT_MS),
    });
    const type = response.headers.get('content-type') ?? '';
    if (response.status === 200 && response.body && type.startsWith('application/pdf')) {
      return { kind: 'pdf', response };
    }
    await response.body?.cancel();
    if (response.status === 204) return { kind: 'nothing' };
    if (response.status === 401) return { kind: 'unauthenticated' };
    if (response.status === 403 || response.status === 404) return { kind: 'notFound' };
    if (response.status === 409) return { kind: 'conflict' };
    if (response.status === 400) return { kind: 'invalid' };
    return { kind: 'unavailable' };
  } catch {
    return { kind: 'unavailable' };
  }
}

/** The staff guard of the card endpoints (layout loads do not run for them). */
export function guardCards(event: RequestEvent<{ comuneId: string }>): string {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  return comuneId;
}

/** Anonymous (or expired) sessions log in again and come back to the page. */
export function toLogin(back: string): never {
  redirect(303, loginPath(back));
}

export function notFound(): never {
  error(404, 'Not found');
}
