import { error, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { centsOrZero } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import type { FormFailure } from '$lib/server/errors';
import {
  type AttachmentProblem,
  uploadHouseholdAttachment,
} from '$lib/server/household-attachments';
import { failWith, invalid, missing, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import {
  AddHouseholdNoteMutation,
  HouseholdFileQuery,
} from '$lib/server/operations-household-file';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

/** The household file (cartella sociale) of the Comune's staff: one household across measures. */
export const load: PageServerLoad = async (event) => {
  const { comuneId, householdId } = event.params;
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(HouseholdFileQuery, { id: householdId });
  throwIfForbidden(result);
  const household = requireFound(result.data?.household, result);
  // A household of another Comune (for a platform admin) is not shown under this Comune.
  if (household.comune.id !== comuneId) error(404, 'Not found');
  return {
    comuneId,
    household: {
      ...household,
      incomeHistory: household.incomeHistory.map((d) => ({
        ...d,
        iseeCents: centsOrZero(d.iseeCents),
      })),
      applications: household.applications.map((a) => ({
        ...a,
        amountCents: a.amountCents == null ? null : centsOrZero(a.amountCents),
      })),
      cardBalances: household.cardBalances.map((b) => ({
        ...b,
        creditedCents: centsOrZero(b.creditedCents),
        spentCents: centsOrZero(b.spentCents),
        availableCents: centsOrZero(b.availableCents),
      })),
      cardPayments: household.cardPayments.map((p) => ({
        ...p,
        amountCents: centsOrZero(p.amountCents),
      })),
    },
    noteAdded: event.url.searchParams.get('nota') === 'aggiunta',
    attachmentAdded: event.url.searchParams.get('allegato') === 'aggiunto',
  };
};

/** The message of a refused attachment that the API did not explain field by field. */
const ATTACHMENT_PROBLEMS: Record<AttachmentProblem, () => Localized> = {
  unauthenticated: () => both(m.apply_document_unauthenticated),
  forbidden: () => both(m.hf_attachment_not_found),
  notFound: () => both(m.hf_attachment_not_found),
  tooLarge: () => both(m.hf_attachment_too_large),
  invalid: () => both(m.hf_attachment_invalid),
  unavailable: () => both(m.error_503_text),
};

export const actions: Actions = {
  addNote: async (event) => {
    const { comuneId, householdId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { note: text(data, 'note') };
    const empty = missing(values, ['note']);
    if (empty) return invalid(empty, values);
    const result = await event.locals.api(AddHouseholdNoteMutation, {
      input: { householdId, note: values.note },
    });
    throwIfForbidden(result);
    if (!result.data?.addHouseholdNote) return failWith(result, ['note'], values);
    redirect(303, `/comune/${comuneId}/anagrafe/${householdId}?nota=aggiunta#notes`);
  },
  /**
   * A social worker's file (multipart: `description`, `file`) sent to the gateway's upload
   * route; refusals come back as `attachmentFailure` (field errors `description`, `file`).
   */
  addAttachment: async (event) => {
    const { comuneId, householdId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { description: text(data, 'description') };
    const file = data.get('file');
    const refuse = (fields: FormFailure['fields'], status = 400) =>
      fail(status, {
        attachmentFailure: { message: both(m.hf_attachment_not_uploaded), fields },
        attachmentValues: values,
      });
    const fields: FormFailure['fields'] = {};
    if (!values.description) fields.description = both(m.required_field);
    if (!(file instanceof File) || (file.name === '' && file.size === 0)) {
      fields.file = both(m.hf_attachment_missing);
    } else if (file.size === 0) fields.file = both(m.hf_attachment_empty);
    if (Object.keys(fields).length > 0 || !(file instanceof File)) return refuse(fields);
    const outcome = await uploadHouseholdAttachment(
      {
        token: event.locals.sessionToken,
        clientAddress: event.locals.clientAddress,
        requestId: event.locals.requestId,
      },
      { householdId, description: values.description, file },
    );
    if (!outcome.ok) {
      const apiFields: FormFailure['fields'] = {};
      for (const f of outcome.error?.fields ?? []) {
        if (f.field === 'description' || f.field === 'file') apiFields[f.field] = f.message;
      }
      if (Object.keys(apiFields).length === 0) {
        apiFields.file = ATTACHMENT_PROBLEMS[outcome.problem]();
      }
      const statuses: Record<AttachmentProblem, number> = {
        unauthenticated: 401,
        forbidden: 403,
        notFound: 404,
        tooLarge: 413,
        invalid: 400,
        unavailable: 503,
      };
      return refuse(apiFields, statuses[outcome.problem]);
    }
    redirect(303, `/comune/${comuneId}/anagrafe/${householdId}?allegato=aggiunto#attachments`);
  },
};
