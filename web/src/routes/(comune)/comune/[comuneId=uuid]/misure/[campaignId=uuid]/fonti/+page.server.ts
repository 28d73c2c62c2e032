import { error, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { centsOrZero } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { formFailure, statusOf } from '$lib/server/errors';
import { requireComuneStaff } from '$lib/server/guards';
import {
  CampaignFundingQuery,
  SetCampaignFundingSourcesMutation,
} from '$lib/server/operations-funding';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import { isComuneManager } from '../../access';
import {
  formField,
  movedRows,
  padded,
  parseRows,
  readAllocation,
  readRows,
  rowsOf,
  type SourceRow,
} from './funding-form';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
  const { comuneId, campaignId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(CampaignFundingQuery, { id: campaignId });
  throwIfForbidden(result);
  const campaign = requireFound(result.data?.campaign, result);
  if (campaign.comune.id !== comuneId) error(404, 'Not found');
  // Spent and remaining per source, as the dashboard reports them (none if it is unavailable).
  const use = result.data?.campaignDashboard?.bySource ?? [];
  const sources = campaign.fundingSources.map((s, i) => ({
    ...s,
    amountCents: centsOrZero(s.amountCents),
    spentCents: use[i] ? centsOrZero(use[i].spentCents) : null,
    remainingCents: use[i] ? centsOrZero(use[i].remainingCents) : null,
  }));
  return {
    comuneId,
    campaign: {
      id: campaign.id,
      title: campaign.title,
      status: campaign.status,
      budgetCents: centsOrZero(campaign.budgetCents),
    },
    sources,
    rows: rowsOf(sources),
    allocation: campaign.fundingAllocation,
    isManager: isComuneManager(viewer, comuneId),
    saved: event.url.searchParams.get('esito') === 'salvate',
  };
};

function guard(event: RequestEvent) {
  const { comuneId, campaignId } = event.params;
  requireComuneStaff(event, comuneId);
  return { comuneId, campaignId };
}

/** The form's field keys for `rows` (each row's three fields, then the list's own). */
const known = (rows: readonly SourceRow[]) => [
  ...rows.flatMap((_, i) => [`sources.${i}.kind`, `sources.${i}.name`, `sources.${i}.amountCents`]),
  'sources',
];

export const actions: Actions = {
  /** One more empty row (nothing is saved): the form without JavaScript grows by a POST. */
  add: async (event) => {
    guard(event);
    const data = await event.request.formData();
    return { rows: padded(readRows(data), 1), allocation: readAllocation(data) };
  },
  /** A row one place up or down (nothing is saved): the order without JavaScript, by a POST. */
  move: async (event) => {
    guard(event);
    const data = await event.request.formData();
    const move = data.get('move');
    const { rows, to } = movedRows(readRows(data), typeof move === 'string' ? move : '');
    return { rows: padded(rows), allocation: readAllocation(data), movedTo: to };
  },
  /** Replaces the sources; field errors on their rows, nothing saved. */
  save: async (event) => {
    const { comuneId, campaignId } = guard(event);
    const data = await event.request.formData();
    const rows = padded(readRows(data));
    const allocation = readAllocation(data);
    const parsed = parseRows(rows, {
      kind: both(m.funding_error_kind),
      name: both(m.funding_error_name),
      amount: both(m.funding_error_amount),
    });
    if (Object.keys(parsed.fields).length > 0) {
      return fail(400, {
        rows,
        allocation,
        failure: { message: both(m.form_invalid), fields: parsed.fields },
      });
    }
    const result = await event.locals.api(SetCampaignFundingSourcesMutation, {
      campaignId,
      sources: parsed.sources,
      allocation,
    });
    if (result.data?.setCampaignFundingSources) {
      redirect(303, `/comune/${comuneId}/misure/${campaignId}/fonti?esito=salvate`);
    }
    throwIfForbidden(result);
    if (result.unavailable) {
      return fail(503, {
        rows,
        allocation,
        failure: { message: both(m.error_503_text), fields: {} },
      });
    }
    const errors = result.errors.map((e) => ({
      ...e,
      fields: e.fields.map((f) => ({ ...f, field: formField(f.field, parsed.rowOf) })),
    }));
    return fail(statusOf(result), { rows, allocation, failure: formFailure(errors, known(rows)) });
  },
};
