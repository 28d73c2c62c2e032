import { error, fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { TopUpCampaignMutation } from '$lib/server/money';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import { CampaignQuery } from '../../operations.server';
import { cancelAction, loadSchedule, recurringAction, scheduleAction } from './schedule.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function guard(event: RequestEvent | Parameters<PageServerLoad>[0]) {
  const { comuneId, campaignId } = event.params;
  requireComuneStaff(event, comuneId);
  return { comuneId, campaignId };
}

export const load: PageServerLoad = async (event) => {
  const { comuneId, campaignId } = guard(event);
  const result = await event.locals.api(CampaignQuery, { id: campaignId });
  throwIfForbidden(result);
  const campaign = requireFound(result.data?.campaign, result);
  if (campaign.comune.id !== comuneId) error(404, 'Not found');
  return {
    comuneId,
    campaign: { id: campaign.id, title: campaign.title, status: campaign.status },
    ...(await loadSchedule(event, campaignId)),
  };
};

/** A whole number typed in a field, within bounds; null otherwise. */
function whole(value: string, min: number, max: number): number | null {
  if (!/^\d{1,3}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

export const actions: Actions = {
  schedule: (event) => {
    const { comuneId, campaignId } = guard(event);
    return scheduleAction(event, comuneId, campaignId);
  },
  cancel: (event) => {
    const { comuneId, campaignId } = guard(event);
    return cancelAction(event, comuneId, campaignId);
  },
  recurring: (event) => {
    const { comuneId, campaignId } = guard(event);
    return recurringAction(event, comuneId, campaignId);
  },
  topup: async (event) => {
    const { campaignId } = guard(event);
    const data = await event.request.formData();
    const values = { number: text(data, 'number'), percent: text(data, 'percent') };
    const number = whole(values.number, 1, 20);
    const percent = whole(values.percent.replace(/%$/, '').trim(), 1, 100);
    const fields: Record<string, Localized> = {};
    if (number === null) fields.number = both(m.topup_error_number);
    if (percent === null) fields.percent = both(m.topup_error_percent);
    if (number === null || percent === null) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(TopUpCampaignMutation, {
      campaignId,
      tranche: { number, percent },
    });
    const outcome = result.data?.topUpCampaign;
    if (!outcome) return failWith(result, ['number', 'percent'], values);
    return {
      values,
      outcome: {
        creditedCents: Number(outcome.creditedCents),
        withoutCard: outcome.withoutCard,
        applications: outcome.lines.length,
        replayed: outcome.lines.filter((l) => l.cardId && Number(l.creditedCents) === 0).length,
      },
    };
  },
};
