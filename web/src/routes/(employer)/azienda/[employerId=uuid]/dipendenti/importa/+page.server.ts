import { redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { uploadEnrolment } from '$lib/server/corporate-enrolment';
import { invalid } from '$lib/server/forms';
import { EnrolmentJobsQuery } from '$lib/server/operations-corporate-enrolment';
import { throwIfForbidden } from '$lib/server/refusals';
import type { UploadProblem } from '$lib/server/uploads';
import type { Actions, PageServerLoad } from './$types';

const PROBLEMS: Record<
  UploadProblem,
  { field?: 'file'; message: () => Localized; status: number }
> = {
  unauthenticated: { message: () => both(m.import_error_unauthenticated), status: 401 },
  forbidden: { message: () => both(m.import_error_forbidden), status: 403 },
  tooLarge: { field: 'file', message: () => both(m.import_error_too_large), status: 413 },
  notCsv: { field: 'file', message: () => both(m.import_error_not_csv), status: 415 },
  badRequest: { message: () => both(m.import_error_bad_request), status: 400 },
  unavailable: { message: () => both(m.error_503_text), status: 503 },
};

/** A CSV by its name or its declared type (browsers differ on the type of a .csv file). */
function looksLikeCsv(file: File): boolean {
  return /\.csv$/i.test(file.name) || file.type === 'text/csv';
}

export const load: PageServerLoad = async (event) => {
  const membership = requireEmployerHr(event);
  const { employerId } = event.params;
  const result = await event.locals.api(EnrolmentJobsQuery, { employerId });
  throwIfForbidden(result);
  return {
    employerId,
    employerName: membership.organisation.name,
    jobs: result.data?.enrolmentJobs ?? [],
    unavailable: result.unavailable || !result.data?.enrolmentJobs,
  };
};

export const actions: Actions = {
  upload: async (event) => {
    requireEmployerHr(event);
    const { employerId } = event.params;
    const data = await event.request.formData();
    const fields: Record<string, Localized> = {};
    const file = data.get('file');
    if (!(file instanceof File) || (file.name === '' && file.size === 0)) {
      fields.file = both(m.import_error_no_file);
    } else if (!looksLikeCsv(file)) {
      fields.file = both(m.import_error_not_csv);
    } else if (file.size === 0) {
      fields.file = both(m.import_error_empty);
    }
    if (Object.keys(fields).length > 0 || !(file instanceof File)) {
      return invalid({ message: both(m.form_invalid), fields }, {});
    }
    const outcome = await uploadEnrolment(
      {
        token: event.locals.sessionToken,
        clientAddress: event.locals.clientAddress,
        requestId: event.locals.requestId,
      },
      { employerId, file },
    );
    if (outcome.ok) {
      redirect(
        303,
        `/azienda/${encodeURIComponent(employerId)}/dipendenti/importa/${encodeURIComponent(outcome.jobId)}`,
      );
    }
    const problem = PROBLEMS[outcome.problem];
    const message = problem.message();
    const detailed =
      outcome.problem === 'badRequest' && outcome.error
        ? {
            it: `${message.it} ${outcome.error.messages.it}`,
            en: `${message.en} ${outcome.error.messages.en}`,
          }
        : message;
    return invalid(
      { message: detailed, fields: problem.field ? { [problem.field]: detailed } : {} },
      {},
      problem.status,
    );
  },
};
