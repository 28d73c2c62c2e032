import { error, fail, redirect } from '@sveltejs/kit';
import { romeToday } from '$lib/dates';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import {
  ApproveBatchMutation,
  DiscardBatchMutation,
  MarkBatchPaidMutation,
  ReimbursementBatchQuery,
} from '$lib/server/reimbursements';
import { ReimbursementProviderLinesQuery } from '$lib/server/operations-reimbursement';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOTICES = [
  'creato',
  'approvato',
  'pagato',
  'annullato',
  'non-disponibile',
  'file-rifiutato',
] as const;

function guard(event: RequestEvent | Parameters<PageServerLoad>[0]) {
  const { comuneId, batchId } = event.params;
  requireComuneStaff(event, comuneId);
  return { comuneId, batchId };
}

/**
 * A batch: its lines per shop, the flagged payments left out, approve, SEPA file, paid; a DRAFT
 * can be discarded with a reason (its payments are free again for a flag and a new batch).
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId, batchId } = guard(event);
  const result = await event.locals.api(ReimbursementBatchQuery, { id: batchId });
  throwIfForbidden(result);
  const detail = requireFound(result.data?.reimbursementBatch, result);
  if (detail.batch.comuneId !== comuneId) error(404, 'Not found');
  const viewer = event.locals.viewer;
  const isManager =
    !!viewer &&
    (viewer.platformAdmin ||
      viewer.memberships.some(
        (ms) => ms.organisation.id === comuneId && ms.role === 'MANAGER' && ms.status === 'ACTIVE',
      ));
  const esito = event.url.searchParams.get('esito');
  return {
    comuneId,
    isManager,
    today: romeToday(),
    batch: { ...detail.batch, totalCents: Number(detail.batch.totalCents) },
    lines: detail.lines.map((l) => ({ ...l, amountCents: Number(l.amountCents) })),
    excluded: detail.excluded.map((e) => ({ ...e, amountCents: Number(e.amountCents) })),
    providers: await providerLines(event, batchId),
    notice: NOTICES.find((n) => n === esito) ?? null,
  };
};

export const actions: Actions = {
  approve: async (event) => {
    const { comuneId, batchId } = guard(event);
    const data = await event.request.formData();
    if (data.get('confirmed') !== '1') return { confirm: 'approve' as const, values: {} };
    const result = await event.locals.api(ApproveBatchMutation, { id: batchId });
    if (!result.data?.approveReimbursementBatch) return failWith(result, [], {});
    redirect(303, `/comune/${comuneId}/rimborsi/${batchId}?esito=approvato`);
  },
  discard: async (event) => {
    const { comuneId, batchId } = guard(event);
    const data = await event.request.formData();
    const values = { reason: text(data, 'reason') };
    if (values.reason.length < 3) {
      const fields: Record<string, Localized> = { reason: both(m.reimb_error_reason) };
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(DiscardBatchMutation, {
      id: batchId,
      reason: values.reason,
    });
    if (!result.data?.discardReimbursementBatch) return failWith(result, ['reason'], values);
    redirect(303, `/comune/${comuneId}/rimborsi/${batchId}?esito=annullato`);
  },
  paid: async (event) => {
    const { comuneId, batchId } = guard(event);
    const data = await event.request.formData();
    const values = { bankDate: text(data, 'bankDate'), bankReference: text(data, 'bankReference') };
    const fields: Record<string, Localized> = {};
    if (!values.bankDate) fields.bankDate = both(m.required_field);
    if (!values.bankReference) fields.bankReference = both(m.required_field);
    if (Object.keys(fields).length > 0) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    // Marking paid asks first (nothing sent to the API): the page states the consequence and
    // posts the same date and reference again with `confirmed=1`.
    if (data.get('confirmed') !== '1') return { confirm: 'paid' as const, values };
    const result = await event.locals.api(MarkBatchPaidMutation, { id: batchId, input: values });
    if (!result.data?.markReimbursementBatchPaid)
      return failWith(result, ['bankDate', 'bankReference'], values);
    redirect(303, `/comune/${comuneId}/rimborsi/${batchId}?esito=pagato`);
  },
};

/**
 * The batch's lines paying third-sector providers and what it held back; null when they cannot be
 * read (the shops' lines still show).
 */
async function providerLines(event: Parameters<PageServerLoad>[0], batchId: string) {
  const result = await event.locals.api(ReimbursementProviderLinesQuery, { id: batchId });
  const detail = result.data?.reimbursementBatch;
  if (!detail) return null;
  return {
    lines: detail.payeeLines.map((l) => ({ ...l, amountCents: Number(l.amountCents) })),
    heldBack: detail.heldBack.map((h) => ({
      ...h,
      amountCents: h.amountCents === null ? null : Number(h.amountCents),
    })),
  };
}
