import { fail, redirect } from '@sveltejs/kit';
import { addDays, dayParam, romeToday } from '$lib/dates';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { throwIfForbidden } from '$lib/server/refusals';
import {
  ClearPaymentFlagMutation,
  CreateBatchMutation,
  FlagPaymentMutation,
  ReimbursementBatchesQuery,
  ReimbursementPreviewQuery,
} from '$lib/server/reimbursements';
import { isUuid } from '$lib/uuid';
import { CampaignsQuery } from '../misure/operations.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOTICES = ['segnalato', 'segnalazione-rimossa'] as const;
const BATCH_FIELDS = ['campaignId', 'cutOff', 'debtorName', 'debtorIban', 'debtorBic'] as const;

/**
 * The Comune's reimbursements (its staff): the batches, the payments a new batch would take up to
 * a cut-off (`?misura=&fino=`, where a payment can be flagged as misuse) and the new-batch form.
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  const [campaigns, batches] = await Promise.all([
    event.locals.api(CampaignsQuery, { comuneId }),
    event.locals.api(ReimbursementBatchesQuery, { comuneId }),
  ]);
  throwIfForbidden(campaigns, batches);
  const live = (campaigns.data?.campaigns ?? [])
    .filter((c) => c.status !== 'DRAFT')
    .map((c) => ({ id: c.id, title: c.title }));
  const campaignId = event.url.searchParams.get('misura') ?? '';
  const cutOff = dayParam(event.url, 'fino');
  let preview = null;
  if (campaignId && isUuid(campaignId) && cutOff) {
    const answer = await event.locals.api(ReimbursementPreviewQuery, { campaignId, cutOff });
    preview = (answer.data?.reimbursementPreview ?? []).map((p) => ({
      ...p,
      amountCents: Number(p.amountCents),
    }));
  }
  const esito = event.url.searchParams.get('esito');
  return {
    comuneId,
    comuneName: campaigns.data?.organisation?.name ?? '',
    campaigns: live,
    batches: (batches.data?.reimbursementBatches ?? []).map((b) => ({
      ...b,
      totalCents: Number(b.totalCents),
    })),
    selected: { campaignId, cutOff: cutOff ?? addDays(romeToday(), -1) },
    preview,
    notice: NOTICES.find((n) => n === esito) ?? null,
    unavailable: campaigns.unavailable || batches.unavailable || !batches.data,
  };
};

function guard(event: RequestEvent) {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  return comuneId;
}

/** Back to the preview the form was posted from. */
function previewUrl(comuneId: string, data: FormData, notice: string): string {
  const params = new URLSearchParams({
    misura: text(data, 'misura'),
    fino: text(data, 'fino'),
    esito: notice,
  });
  return `/comune/${comuneId}/rimborsi?${params.toString()}#anteprima`;
}

async function flagAction(event: RequestEvent, clear: boolean) {
  const comuneId = guard(event);
  const data = await event.request.formData();
  const paymentId = text(data, 'paymentId');
  const values = { paymentId, reason: text(data, 'reason') };
  if (!isUuid(paymentId)) {
    return fail(400, { failure: { message: both(m.form_invalid), fields: {} }, values });
  }
  if (values.reason.length < 3) {
    const fields: Record<string, Localized> = { reason: both(m.reimb_error_reason) };
    return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
  }
  const result = clear
    ? await event.locals.api(ClearPaymentFlagMutation, { paymentId, reason: values.reason })
    : await event.locals.api(FlagPaymentMutation, { paymentId, reason: values.reason });
  const ok =
    result.data && ('flagPaymentMisuse' in result.data || 'clearPaymentMisuse' in result.data);
  if (!ok) return failWith(result, ['reason'], values);
  redirect(303, previewUrl(comuneId, data, clear ? 'segnalazione-rimossa' : 'segnalato'));
}

export const actions: Actions = {
  flag: (event) => flagAction(event, false),
  clear: (event) => flagAction(event, true),
  create: async (event) => {
    const comuneId = guard(event);
    const data = await event.request.formData();
    const values = Object.fromEntries(BATCH_FIELDS.map((f) => [f, text(data, f)])) as Record<
      (typeof BATCH_FIELDS)[number],
      string
    >;
    const fields: Record<string, Localized> = {};
    if (!isUuid(values.campaignId)) fields.campaignId = both(m.reimb_error_campaign);
    if (!values.cutOff) fields.cutOff = both(m.required_field);
    if (!values.debtorName) fields.debtorName = both(m.required_field);
    if (!values.debtorIban) fields.debtorIban = both(m.required_field);
    if (Object.keys(fields).length > 0) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(CreateBatchMutation, {
      input: {
        campaignId: values.campaignId,
        cutOff: values.cutOff,
        debtorName: values.debtorName,
        debtorIban: values.debtorIban,
        debtorBic: values.debtorBic || null,
      },
    });
    const id = result.data?.createReimbursementBatch.batch.id;
    if (!id) return failWith(result, BATCH_FIELDS, values);
    redirect(303, `/comune/${comuneId}/rimborsi/${id}?esito=creato`);
  },
};
