// One document uploaded from a form (the application form and the application page): checks
// the file, sends it through `$lib/server/documents` and turns a refusal into a form failure.
import type { RequestEvent } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { type DocumentProblem, uploadDocument } from '$lib/server/documents';
import type { FormFailure } from '$lib/server/errors';
import { text } from '$lib/server/forms';

export type DocumentUploadOutcome =
  | { ok: true; code: string; documentId: string }
  | { ok: false; code: string; failure: FormFailure; status: number };

const PROBLEMS: Record<DocumentProblem, { message: () => Localized; status: number }> = {
  unauthenticated: { message: () => both(m.apply_document_unauthenticated), status: 401 },
  forbidden: { message: () => both(m.apply_document_not_found), status: 403 },
  notFound: { message: () => both(m.apply_document_not_found), status: 404 },
  tooLarge: { message: () => both(m.apply_document_too_large), status: 413 },
  invalid: { message: () => both(m.apply_document_invalid), status: 400 },
  conflict: { message: () => both(m.apply_document_conflict), status: 409 },
  unavailable: { message: () => both(m.error_503_text), status: 503 },
};

/** The field name of a document's file input: `document-<code>` (also the failure's key). */
export const documentField = (code: string): string => `document-${code}`;

/**
 * Uploads the `file` of a form for the required document `code` of an application. The
 * message for the file field says what was wrong in the person's words (the API's own reason
 * for a refused type or size: "Sono ammessi solo PDF, JPEG o PNG.", "Il file supera 5 MB.").
 */
export async function uploadFromForm(
  event: RequestEvent,
  data: FormData,
  applicationId: string,
): Promise<DocumentUploadOutcome> {
  const code = text(data, 'code');
  const field = documentField(code);
  const file = data.get('file');
  const refuse = (message: Localized, status = 400): DocumentUploadOutcome => ({
    ok: false,
    code,
    status,
    failure: { message: both(m.apply_document_not_uploaded), fields: { [field]: message } },
  });
  if (!code) return refuse(both(m.apply_document_not_uploaded));
  if (!(file instanceof File) || (file.name === '' && file.size === 0)) {
    return refuse(both(m.apply_document_missing));
  }
  if (file.size === 0) return refuse(both(m.apply_document_empty));

  const outcome = await uploadDocument(
    {
      token: event.locals.sessionToken,
      clientAddress: event.locals.clientAddress,
      requestId: event.locals.requestId,
    },
    { applicationId, code, file },
  );
  if (outcome.ok) return { ok: true, code, documentId: outcome.documentId };
  const problem = PROBLEMS[outcome.problem];
  const reason = outcome.error?.fields.find((f) => f.field === 'file')?.message;
  return refuse(reason ?? problem.message(), problem.status);
}
