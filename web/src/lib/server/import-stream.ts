// The import page's streamed upload (with JavaScript): the chosen file's bytes arrive as the raw
// body of one request and go on to the gateway's upload route as they arrive (never buffered),
// under a job id the page chose, so that the page can show the job's progress from the first rows.
import { error, json } from '@sveltejs/kit';
import { isImportKind } from '$lib/households';
import { isUuid } from '$lib/uuid';
import { requireComuneStaff } from './guards';
import { ImportJobQuery } from './operations';
import { throwIfForbidden } from './refusals';
import { type UploadProblem, uploadImport } from './uploads';

interface StreamEvent {
  locals: App.Locals;
  url: URL;
  request: Request;
}

/** The status the page's script reads for each refusal (it then sends the form the old way). */
const STATUS: Record<UploadProblem, number> = {
  unauthenticated: 401,
  forbidden: 403,
  tooLarge: 413,
  notCsv: 415,
  badRequest: 400,
  unavailable: 503,
};

/**
 * `POST …/importazioni/carica?tipo=REGISTRY|INCOME&job=<uuid>`, `Content-Type: text/csv`, the
 * file as the body: staff of the Comune only (403), from a page of the portal itself (403 when
 * the `Origin` is another: the check SvelteKit makes for forms, which does not cover this content
 * type), a known kind and a UUID (400). Answers `202 {"jobId"}` once the gateway has the whole
 * file, or `{"problem"}` with the refusal's status.
 */
export async function streamImport(
  event: StreamEvent,
  comuneId: string,
  options: { fetch?: typeof fetch } = {},
): Promise<Response> {
  requireComuneStaff(event, comuneId);
  if (event.request.headers.get('origin') !== event.url.origin) error(403, 'Cross-site upload');
  const kind = event.url.searchParams.get('tipo');
  const jobId = event.url.searchParams.get('job') ?? '';
  if (!isImportKind(kind) || !isUuid(jobId) || !event.request.body) error(400, 'Bad request');
  const type = (event.request.headers.get('content-type') ?? '').split(';')[0]?.trim();
  if (type?.toLowerCase() !== 'text/csv') error(415, 'Send a CSV file (text/csv)');
  const declared = Number(event.request.headers.get('content-length') ?? Number.NaN);
  const outcome = await uploadImport(
    {
      token: event.locals.sessionToken,
      clientAddress: event.locals.clientAddress,
      requestId: event.locals.requestId,
    },
    {
      kind,
      comuneId,
      stream: event.request.body,
      length: Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined,
      jobId,
    },
    options,
  );
  const headers = { 'cache-control': 'no-store' };
  if (outcome.ok) return json({ jobId: outcome.jobId }, { status: 202, headers });
  return json({ problem: outcome.problem }, { status: STATUS[outcome.problem], headers });
}

/**
 * `GET …/importazioni/carica?job=<uuid>`: whether the page's job exists yet under this Comune
 * (`{"status"}`, or 404), for the page to show it as soon as it does.
 */
export async function streamedJob(event: StreamEvent, comuneId: string): Promise<Response> {
  requireComuneStaff(event, comuneId);
  const jobId = event.url.searchParams.get('job') ?? '';
  if (!isUuid(jobId)) error(400, 'Bad request');
  const result = await event.locals.api(ImportJobQuery, { id: jobId });
  throwIfForbidden(result);
  const job = result.data?.importJob;
  if (!job || job.comune.id !== comuneId) error(result.unavailable ? 503 : 404, 'Not yet');
  return json({ status: job.status }, { headers: { 'cache-control': 'no-store' } });
}
