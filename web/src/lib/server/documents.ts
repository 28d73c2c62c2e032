// The one client of the gateway's document upload route: a file attached to an application goes
// to the public-welfare subgraph as the request body, not through GraphQL. Server-only.
import { config } from './config';
import type { GatewayContext } from './gateway';
import { type ApiError, normaliseErrors } from './errors';
import { postUpload } from './gateway-upload';

/** A document is at most a few megabytes: a minute is plenty. */
export const DOCUMENT_UPLOAD_TIMEOUT_MS = 60_000;

export const DOCUMENT_UPLOAD_PATH = '/uploads/public-welfare/files/documents';

/** Why an upload was refused, for the form: the page has a message for each. */
export type DocumentProblem =
  | 'unauthenticated'
  | 'forbidden'
  | 'notFound'
  | 'tooLarge'
  | 'invalid'
  | 'conflict'
  | 'unavailable';

export type DocumentUploadResult =
  | { ok: true; documentId: string }
  | { ok: false; problem: DocumentProblem; error: ApiError | undefined };

export interface DocumentUpload {
  applicationId: string;
  /** The campaign's required-document code the file answers. */
  code: string;
  /** The file as the browser sent it (its name goes with it). */
  file: Blob & { name?: string };
}

/** The gateway's upload URL for one document of an application. */
export function documentUploadUrl(
  gatewayUrl: string,
  upload: { applicationId: string; code: string; name: string },
): URL {
  const url = new URL(DOCUMENT_UPLOAD_PATH, gatewayUrl);
  url.searchParams.set('applicationId', upload.applicationId);
  url.searchParams.set('code', upload.code);
  url.searchParams.set('name', upload.name);
  return url;
}

/** Maps the upload route's answer (status and JSON body, if any) to the outcome. Pure. */
export function documentOutcome(status: number, body: unknown): DocumentUploadResult {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (status === 201 || status === 200) {
    const documentId = record.documentId;
    if (typeof documentId === 'string' && documentId.length > 0) return { ok: true, documentId };
    return { ok: false, problem: 'unavailable', error: undefined };
  }
  const error = normaliseErrors(record.errors)[0];
  const problem: DocumentProblem =
    status === 401
      ? 'unauthenticated'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'notFound'
          : status === 409
            ? 'conflict'
            : status === 413
              ? 'tooLarge'
              : status === 400 || status === 415 || status === 422
                ? 'invalid'
                : 'unavailable';
  return { ok: false, problem, error };
}

/**
 * Streams one document to the gateway's upload route with the session, the client address and
 * the request id (as GraphQL calls go). The body is streamed without a declared length: the
 * subgraph reads it to the end, up to its limit, and answers 413 beyond (a declared length
 * over the limit would be refused before the body is read, and the connection closed under
 * the upload). The subgraph recognises PDF, JPEG and PNG by content; the declared type is only
 * passed along. Never throws: a network failure or a timeout is `unavailable`.
 */
export async function uploadDocument(
  context: GatewayContext,
  upload: DocumentUpload,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<DocumentUploadResult> {
  const answer = await postUpload(context, {
    url: () =>
      documentUploadUrl(config().gatewayUrl, {
        applicationId: upload.applicationId,
        code: upload.code,
        name: upload.file.name ?? 'documento',
      }),
    body: upload.file.stream(),
    contentType: upload.file.type || 'application/octet-stream',
    timeoutMs: options.timeoutMs ?? DOCUMENT_UPLOAD_TIMEOUT_MS,
    fetch: options.fetch,
  });
  if (!answer) return { ok: false, problem: 'unavailable', error: undefined };
  return documentOutcome(answer.status, answer.body);
}
