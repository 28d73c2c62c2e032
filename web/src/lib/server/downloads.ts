// The one client of the gateway's download route: files a subgraph produces (CSV exports, later
// PDFs) stream to the browser without going through GraphQL. Server-only, like gateway.ts.
import type { HouseholdFilterInput } from '../households';
import { config } from './config';
import type { GatewayContext } from './gateway';
import { type ApiError, normaliseErrors } from './errors';

/** A large export (the whole registry) may take a while: far longer than one GraphQL call. */
export const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

/** The headers of a file passed on to the browser; nothing else the gateway sent. */
const FILE_HEADERS = ['content-type', 'content-disposition', 'content-length'] as const;

/** What to download: a subgraph, a path under its `exports/` or `files/`, a query string. */
export interface DownloadTarget {
  subgraph: string;
  path: string;
  params?: URLSearchParams;
}

/** Why a download was refused: the route decides what the person sees for each. */
export type DownloadProblem =
  'unauthenticated' | 'forbidden' | 'badRequest' | 'notFound' | 'unavailable';

export type DownloadResult =
  | { ok: true; response: Response }
  | { ok: false; problem: DownloadProblem; error: ApiError | undefined };

/** The gateway's download URL for a target (the gateway's origin, not its GraphQL path). */
export function downloadUrl(gatewayUrl: string, target: DownloadTarget): URL {
  const url = new URL(`/downloads/${target.subgraph}/${target.path}`, gatewayUrl);
  const query = target.params?.toString();
  if (query) url.search = query;
  return url;
}

/** Maps a refused download's status to the problem. Pure. */
export function downloadProblem(status: number): DownloadProblem {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'badRequest';
  return 'unavailable';
}

/**
 * Asks the gateway for a file with the session, the client address and the request id (as
 * GraphQL calls go). The body is not read on success: the caller streams it on. Never throws: a
 * network failure or a timeout is `unavailable`.
 */
export async function fetchDownload(
  context: GatewayContext,
  target: DownloadTarget,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<DownloadResult> {
  const headers: Record<string, string> = { 'x-request-id': context.requestId };
  if (context.token) headers.authorization = `Bearer ${context.token}`;
  if (context.clientAddress) headers['x-forwarded-for'] = context.clientAddress;
  try {
    const response = await (options.fetch ?? fetch)(downloadUrl(config().gatewayUrl, target), {
      method: 'GET',
      headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS),
    });
    if (response.status >= 200 && response.status < 300 && response.body) {
      return { ok: true, response };
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON (a proxy's error page): the status alone decides.
    }
    const record = typeof body === 'object' && body !== null ? (body as { errors?: unknown }) : {};
    return {
      ok: false,
      problem: response.ok ? 'unavailable' : downloadProblem(response.status),
      error: normaliseErrors(record.errors)[0],
    };
  } catch {
    return { ok: false, problem: 'unavailable', error: undefined };
  }
}

/**
 * The browser's answer for a file the gateway sent: its body streamed as it arrives, its type,
 * disposition and length, never cached (it holds personal data).
 */
export function downloadResponse(upstream: Response): Response {
  const headers = new Headers({
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  for (const name of FILE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(upstream.body, { status: 200, headers });
}

/**
 * The households export of a Comune for a filter in the API's units (ISEE in cents, yes/no as
 * `true`/`false`), as the public-welfare subgraph's `exports/households.csv` reads it.
 */
export function householdsExportTarget(
  comuneId: string,
  filter: HouseholdFilterInput,
): DownloadTarget {
  const params = new URLSearchParams({ comuneId });
  for (const [key, value] of Object.entries(filter) as [string, unknown][]) {
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
      params.set(key, String(value));
    }
  }
  return { subgraph: 'public-welfare', path: 'exports/households.csv', params };
}
