// The one client of the gateway's household attachment upload (issue 19): a social worker's file
// goes to the public-welfare subgraph as the request body, not through GraphQL. Server-only.
import { config } from './config';
import type { GatewayContext } from './gateway';
import { type ApiError, normaliseErrors } from './errors';
import { postUpload } from './gateway-upload';

/** An attachment is at most a few megabytes: a minute is plenty. */
const ATTACHMENT_UPLOAD_TIMEOUT_MS = 60_000;

const ATTACHMENT_UPLOAD_PATH = '/uploads/public-welfare/files/household-attachments';

/** Why an upload was refused: the page has a message for each (`invalid` has field errors). */
export type AttachmentProblem =
  'unauthenticated' | 'forbidden' | 'notFound' | 'tooLarge' | 'invalid' | 'unavailable';

export type AttachmentUploadResult =
  | { ok: true; attachmentId: string }
  | { ok: false; problem: AttachmentProblem; error: ApiError | undefined };

/** Maps the upload route's answer (status and JSON body, if any) to the outcome. Pure. */
export function attachmentOutcome(status: number, body: unknown): AttachmentUploadResult {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (status === 201) {
    const attachmentId = record.attachmentId;
    if (typeof attachmentId === 'string' && attachmentId.length > 0) {
      return { ok: true, attachmentId };
    }
    return { ok: false, problem: 'unavailable', error: undefined };
  }
  const error = normaliseErrors(record.errors)[0];
  const problems: Record<number, AttachmentProblem> = {
    400: 'invalid',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'notFound',
    413: 'tooLarge',
  };
  return { ok: false, problem: problems[status] ?? 'unavailable', error };
}

/**
 * Streams one file to the gateway's upload route with the session, the client address and the
 * request id (as GraphQL calls go), without a declared length (the subgraph reads it up to its
 * limit and answers 413 beyond). The subgraph recognises PDF, JPEG and PNG by content. Never
 * throws: a network failure or a timeout is `unavailable`.
 */
export async function uploadHouseholdAttachment(
  context: GatewayContext,
  upload: { householdId: string; description: string; file: Blob & { name?: string } },
): Promise<AttachmentUploadResult> {
  const answer = await postUpload(context, {
    url: () => {
      const url = new URL(ATTACHMENT_UPLOAD_PATH, config().gatewayUrl);
      url.searchParams.set('householdId', upload.householdId);
      url.searchParams.set('description', upload.description);
      url.searchParams.set('name', upload.file.name || 'allegato');
      return url;
    },
    body: upload.file.stream(),
    contentType: upload.file.type || 'application/octet-stream',
    timeoutMs: ATTACHMENT_UPLOAD_TIMEOUT_MS,
  });
  if (!answer) return { ok: false, problem: 'unavailable', error: undefined };
  return attachmentOutcome(answer.status, answer.body);
}
