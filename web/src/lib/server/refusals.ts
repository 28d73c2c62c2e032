// The API's refusals as the portal's error pages, written once: FORBIDDEN is the friendly 403
// page, a missing item the 404 (or the 503 when a service is down), and a file the gateway will
// not give is the same. Every load, action and endpoint uses these instead of its own branches.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import {
  type DownloadProblem,
  type DownloadTarget,
  downloadResponse,
  fetchDownload,
} from './downloads';
import { type ApiError, findError } from './errors';
import { loginPath } from './redirect';

/** A GraphQL call's outcome, or a refused download. */
type Answer = { errors: readonly ApiError[] } | { problem: DownloadProblem };

function forbidden(answer: Answer): boolean {
  return 'problem' in answer
    ? answer.problem === 'forbidden'
    : findError(answer.errors, 'FORBIDDEN') !== undefined;
}

/** The friendly 403 page when the API refused any of these calls (FORBIDDEN, or a 403 file). */
export function throwIfForbidden(...answers: readonly Answer[]): void {
  if (answers.some(forbidden)) error(403, 'Forbidden');
}

/**
 * What a page is about, found: the value, or the friendly 503 page when a service is down, else
 * the 404 (missing, or not the caller's to see).
 */
export function requireFound<T>(value: T | null | undefined, result: { unavailable: boolean }): T {
  if (value !== null && value !== undefined) return value;
  if (result.unavailable) error(503, 'Service unavailable');
  error(404, 'Not found');
}

/** A download the gateway refused (anonymous visitors were sent to log in already). */
export type RefusedDownload = { ok: false; problem: Exclude<DownloadProblem, 'unauthenticated'> };

/**
 * Asks the gateway for a file with the request's session and streams it to the browser. An
 * anonymous visitor logs in and comes back to `back` (by default the address asked for); any
 * other refusal is returned for the route to decide (usually `throwIfForbidden`, then a 404 or a
 * notice on the page the download was offered on).
 */
export async function streamDownload(
  event: RequestEvent,
  target: DownloadTarget,
  back = `${event.url.pathname}${event.url.search}`,
): Promise<{ ok: true; response: Response } | RefusedDownload> {
  const result = await fetchDownload(
    {
      token: event.locals.sessionToken,
      clientAddress: event.locals.clientAddress,
      requestId: event.locals.requestId,
    },
    target,
  );
  if (result.ok) return { ok: true, response: downloadResponse(result.response) };
  if (result.problem === 'unauthenticated') {
    redirect(303, loginPath(back));
  }
  return { ok: false, problem: result.problem };
}
