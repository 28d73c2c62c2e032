import { error, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import {
  AccreditationRequestQuery,
  RenewAccreditationMutation,
  SaveAnswersMutation,
  SubmitAccreditationMutation,
  uploadAccreditationDocument,
} from '$lib/server/accreditation';
import { formFailure } from '$lib/server/errors';
import type { GatewayResult } from '$lib/server/gateway';
import { requireFound } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import { requireProviderAdmin } from '../../access';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOTICES = ['saved', 'submitted', 'uploaded', 'renewed'] as const;

/** One request of the provider: its checklist, documents, status and history. */
export const load: PageServerLoad = async (event) => {
  requireProviderAdmin(event);
  const { providerId, requestId } = event.params;
  const result = await event.locals.api(AccreditationRequestQuery, { id: requestId });
  const request = requireFound(result.data?.providerAccreditation, result);
  if (request.providerId !== providerId) error(404, 'Not found');
  const esito = event.url.searchParams.get('esito');
  return { providerId, request, notice: NOTICES.find((n) => n === esito) ?? null };
};

interface AnswerValues {
  declared: string[];
  notes: Record<string, string>;
}

/** The checklist answers of the form: `requirement` (every item), `declared-<id>`, `note-<id>`. */
function answersOf(data: FormData) {
  const ids = data
    .getAll('requirement')
    .filter((v): v is string => typeof v === 'string' && isUuid(v));
  const values: AnswerValues = { declared: [], notes: {} };
  const answers = ids.map((requirementId) => {
    const declared = data.get(`declared-${requirementId}`) === 'on';
    const note = data.get(`note-${requirementId}`);
    const text = typeof note === 'string' ? note.trim() : '';
    if (declared) values.declared.push(requirementId);
    values.notes[requirementId] = text;
    return { requirementId, declared, note: text || null };
  });
  const known = data
    .getAll('code')
    .filter((v): v is string => typeof v === 'string')
    .flatMap((code) => [`answers.${code}`, `documents.${code}`]);
  return { answers, values, known: ['answers', ...known] };
}

async function saveOrSubmit(event: RequestEvent, submit: boolean) {
  requireProviderAdmin(event);
  const { providerId, requestId } = event.params;
  const data = await event.request.formData();
  const { answers, values, known } = answersOf(data);
  const saved = await event.locals.api(SaveAnswersMutation, { id: requestId, answers });
  const failure = (result: GatewayResult<unknown>) => {
    const status = result.unavailable ? 503 : result.errors[0]?.code === 'CONFLICT' ? 409 : 400;
    return fail(status, {
      failure: result.unavailable
        ? { message: both(m.error_503_text), fields: {} }
        : formFailure(result.errors, known),
      values,
      upload: null as string | null,
    });
  };
  if (!saved.data?.saveProviderAccreditationAnswers) return failure(saved);
  if (!submit) redirect(303, `/ente/${providerId}/accreditamento/${requestId}?esito=saved#esito`);
  const result = await event.locals.api(SubmitAccreditationMutation, { id: requestId });
  if (!result.data?.submitProviderAccreditation) return failure(result);
  redirect(303, `/ente/${providerId}/accreditamento/${requestId}?esito=submitted#esito`);
}

export const actions: Actions = {
  save: (event) => saveOrSubmit(event, false),
  submit: (event) => saveOrSubmit(event, true),
  upload: async (event) => {
    requireProviderAdmin(event);
    const { providerId, requestId } = event.params;
    const data = await event.request.formData();
    const requirementId = data.get('requirementId');
    const file = data.get('file');
    const field = `file-${typeof requirementId === 'string' ? requirementId : ''}`;
    const refuse = (message: Localized, status = 400) =>
      fail(status, {
        failure: { message: both(m.ts_upload_failed), fields: { [field]: message } },
        values: null,
        upload: field,
      });
    if (typeof requirementId !== 'string' || !isUuid(requirementId)) {
      return refuse(both(m.ts_upload_failed));
    }
    if (!(file instanceof File) || file.size === 0) return refuse(both(m.ts_upload_missing));
    const outcome = await uploadAccreditationDocument(
      {
        token: event.locals.sessionToken,
        clientAddress: event.locals.clientAddress,
        requestId: event.locals.requestId,
      },
      { requestId, requirementId, file },
    );
    if (!outcome.ok) {
      const reason =
        outcome.error?.fields.find((f) => f.field === 'file')?.message ??
        outcome.error?.messages ??
        both(m.error_503_text);
      return refuse(reason, outcome.status >= 400 && outcome.status < 600 ? outcome.status : 400);
    }
    redirect(303, `/ente/${providerId}/accreditamento/${requestId}?esito=uploaded#esito`);
  },
  renew: async (event) => {
    requireProviderAdmin(event);
    const { providerId, requestId } = event.params;
    const result = await event.locals.api(RenewAccreditationMutation, { id: requestId });
    const renewal = result.data?.renewProviderAccreditation;
    if (!renewal) {
      return fail(result.unavailable ? 503 : 409, {
        failure: result.unavailable
          ? { message: both(m.error_503_text), fields: {} }
          : formFailure(result.errors, []),
        values: null,
        upload: null,
      });
    }
    redirect(303, `/ente/${providerId}/accreditamento/${renewal.id}?esito=renewed#esito`);
  },
};
