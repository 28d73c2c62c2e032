import { error, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { isImportKind } from '$lib/households';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { ImportJobsQuery } from '$lib/server/operations';
import {
  ImportColumnsQuery,
  ImportHeaderMappingQuery,
  SaveImportHeaderMappingMutation,
} from '$lib/server/operations-imports';
import { formFailure } from '$lib/server/errors';
import { throwIfForbidden } from '$lib/server/refusals';
import { type UploadProblem, uploadImport } from '$lib/server/uploads';
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
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  const [result, columns, mapping] = await Promise.all([
    event.locals.api(ImportJobsQuery, { comuneId }),
    event.locals.api(ImportColumnsQuery),
    event.locals.api(ImportHeaderMappingQuery, { comuneId }),
  ]);
  throwIfForbidden(result);
  const comune = result.data?.organisation ?? null;
  if (!result.unavailable && (!comune || comune.kind !== 'COMUNE')) error(404, 'Not found');
  return {
    comuneId,
    comune,
    jobs: result.data?.importJobs ?? [],
    columns: columns.data ?? null,
    mapping: mapping.data?.importHeaderMapping ?? null,
    mappingSaved: event.url.searchParams.get('associazione') === 'salvata',
    unavailable: result.unavailable || !result.data?.importJobs,
  };
};

/** Rows of the mapping form: the saved ones and a few blank ones, at most this many. */
const MAPPING_ROWS_MAX = 50;

export const actions: Actions = {
  /** Saves the Comune's mapping of its registry files' headers (`header-<i>`, `column-<i>`). */
  mapping: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const rows = Math.min(Math.max(Number(text(data, 'rows')) || 0, 0), MAPPING_ROWS_MAX);
    const values: Record<string, string> = { form: 'mapping', rows: String(rows) };
    const fields: Record<string, Localized> = {};
    const entries: { header: string; column: string }[] = [];
    const rowOf: number[] = [];
    for (let i = 0; i < rows; i++) {
      const header = text(data, `header-${i}`);
      const column = text(data, `column-${i}`);
      values[`header-${i}`] = header;
      values[`column-${i}`] = column;
      if (header === '' && column === '') continue;
      if (header === '') fields[`header-${i}`] = both(m.required_field);
      else if (column === '') fields[`column-${i}`] = both(m.required_field);
      else {
        rowOf.push(i);
        entries.push({ header, column });
      }
    }
    if (Object.keys(fields).length > 0) {
      return invalid({ message: both(m.form_invalid), fields }, values);
    }
    const result = await event.locals.api(SaveImportHeaderMappingMutation, {
      input: { comuneId, kind: 'REGISTRY', entries },
    });
    throwIfForbidden(result);
    if (!result.data?.saveImportHeaderMapping) {
      if (result.unavailable) return failWith(result, [], values);
      // The API names `entries.<k>.header|column`; the form names its rows `header-<i>`.
      const known = entries.flatMap((_, k) => [`entries.${k}.header`, `entries.${k}.column`]);
      const failure = formFailure(result.errors, known);
      const renamed: Record<string, Localized> = {};
      for (const [name, message] of Object.entries(failure.fields)) {
        const [, k, part] = name.split('.');
        renamed[`${part}-${rowOf[Number(k)]}`] = message;
      }
      return invalid({ message: failure.message, fields: renamed }, values);
    }
    redirect(303, `/comune/${encodeURIComponent(comuneId)}/importazioni?associazione=salvata`);
  },
  upload: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { kind: text(data, 'kind') };
    const fields: Record<string, Localized> = {};
    const kind = values.kind;
    if (!isImportKind(kind)) fields.kind = both(m.required_field);
    const file = data.get('file');
    if (!(file instanceof File) || (file.name === '' && file.size === 0)) {
      fields.file = both(m.import_error_no_file);
    } else if (!looksLikeCsv(file)) {
      fields.file = both(m.import_error_not_csv);
    } else if (file.size === 0) {
      fields.file = both(m.import_error_empty);
    }
    if (Object.keys(fields).length > 0 || !isImportKind(kind) || !(file instanceof File)) {
      return invalid({ message: both(m.form_invalid), fields }, values);
    }

    const outcome = await uploadImport(
      {
        token: event.locals.sessionToken,
        clientAddress: event.locals.clientAddress,
        requestId: event.locals.requestId,
      },
      { kind, comuneId, file },
    );
    if (outcome.ok) {
      redirect(
        303,
        `/comune/${encodeURIComponent(comuneId)}/importazioni/${encodeURIComponent(outcome.jobId)}`,
      );
    }
    const problem = PROBLEMS[outcome.problem];
    const message = problem.message();
    // A refusal the portal has no words of its own for: add the API's own reason.
    const detailed =
      outcome.problem === 'badRequest' && outcome.error
        ? {
            it: `${message.it} ${outcome.error.messages.it}`,
            en: `${message.en} ${outcome.error.messages.en}`,
          }
        : message;
    return invalid(
      { message: detailed, fields: problem.field ? { [problem.field]: detailed } : {} },
      values,
      problem.status,
    );
  },
};
