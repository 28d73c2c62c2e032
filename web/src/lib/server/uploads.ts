// The one client of the gateway's upload route: CSV imports stream to the public-welfare subgraph
// without going through GraphQL. Server-only, like gateway.ts.
import type { ImportKind } from '../api-enums';
import { config } from './config';
import type { GatewayContext } from './gateway';
import { type ApiError, normaliseErrors } from './errors';
import { postUpload } from './gateway-upload';

/** An upload may take a while (up to 200 MB): far longer than one GraphQL call. */
export const UPLOAD_TIMEOUT_MS = 15 * 60_000;

const PATHS: Record<ImportKind, string> = {
  REGISTRY: '/uploads/public-welfare/imports/registry',
  INCOME: '/uploads/public-welfare/imports/income',
};

/** Why an upload was refused, for the form: the page has a message for each. */
export type UploadProblem =
  'unauthenticated' | 'forbidden' | 'tooLarge' | 'notCsv' | 'badRequest' | 'unavailable';

export type UploadResult =
  { ok: true; jobId: string } | { ok: false; problem: UploadProblem; error: ApiError | undefined };

/**
 * The gateway's upload URL for a kind of import and a Comune; `jobId` is the job's id chosen by
 * the uploading page (so that it can show the job while it still sends the file).
 */
export function uploadUrl(
  gatewayUrl: string,
  kind: ImportKind,
  comuneId: string,
  jobId?: string,
): URL {
  const url = new URL(PATHS[kind], gatewayUrl);
  url.searchParams.set('comuneId', comuneId);
  if (jobId !== undefined) url.searchParams.set('jobId', jobId);
  return url;
}

/** Maps the upload route's answer (status and JSON body, if any) to the outcome. Pure. */
export function uploadOutcome(status: number, body: unknown): UploadResult {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (status === 202 || status === 200 || status === 201) {
    const jobId = record.jobId;
    if (typeof jobId === 'string' && jobId.length > 0) return { ok: true, jobId };
    return { ok: false, problem: 'unavailable', error: undefined };
  }
  const error = normaliseErrors(record.errors)[0];
  const problem: UploadProblem =
    status === 401
      ? 'unauthenticated'
      : status === 403
        ? 'forbidden'
        : status === 413
          ? 'tooLarge'
          : status === 415
            ? 'notCsv'
            : status >= 400 && status < 500 && status !== 404 && status !== 408 && status !== 429
              ? 'badRequest'
              : 'unavailable';
  return { ok: false, problem, error };
}

/** What goes to the upload route: a form's file, or a request's own body as it arrives. */
type UploadBody =
  | { file: Blob }
  | { stream: ReadableStream<Uint8Array>; length: number | undefined; jobId: string };

/**
 * Streams a CSV file to the gateway's upload route with the session, the client address and the
 * request id (as GraphQL calls go). Never throws: a network failure or a timeout is `unavailable`.
 */
export async function uploadImport(
  context: GatewayContext,
  upload: { kind: ImportKind; comuneId: string } & UploadBody,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<UploadResult> {
  const answer = await postUpload(context, {
    url: () =>
      uploadUrl(
        config().gatewayUrl,
        upload.kind,
        upload.comuneId,
        'stream' in upload ? upload.jobId : undefined,
      ),
    body: 'stream' in upload ? upload.stream : upload.file.stream(),
    contentType: 'text/csv',
    // The declared length lets the subgraph refuse an oversized file before reading it.
    length: 'stream' in upload ? upload.length : undefined,
    timeoutMs: options.timeoutMs ?? UPLOAD_TIMEOUT_MS,
    fetch: options.fetch,
  });
  if (!answer) return { ok: false, problem: 'unavailable', error: undefined };
  return uploadOutcome(answer.status, answer.body);
}
