import { error, fail, redirect } from '@sveltejs/kit';
import { centsOrZero } from '$lib/money';
import { statusOf } from '$lib/server/errors';
import { requireComuneStaff } from '$lib/server/guards';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import { MANAGER_ONLY, apiFailure, unavailableFailure } from '../../campaign-actions.server';
import { isComuneManager } from '../../access';
import { CampaignRankingQuery, RankCampaignMutation } from '../../operations.server';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['calcolata', 'non-disponibile', 'assente'] as const;

export const load: PageServerLoad = async (event) => {
  const { comuneId, campaignId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(CampaignRankingQuery, { campaignId });
  throwIfForbidden(result);
  const campaign = requireFound(result.data?.campaign, result);
  if (campaign.comune.id !== comuneId) error(404, 'Not found');
  const notice = NOTICES.find((n) => n === event.url.searchParams.get('esito')) ?? null;
  return {
    comuneId,
    campaign: { ...campaign, budgetCents: centsOrZero(campaign.budgetCents) },
    ranking:
      result.data?.campaignRanking?.map((row) => ({
        ...row,
        iseeCents: row.iseeCents == null ? null : centsOrZero(row.iseeCents),
        amountCents: centsOrZero(row.amountCents),
      })) ?? null,
    isManager: isComuneManager(viewer, comuneId),
    notice,
    unavailable: result.unavailable,
  };
};

export const actions: Actions = {
  rank: async (event) => {
    const { comuneId, campaignId } = event.params;
    requireComuneStaff(event, comuneId);
    const result = await event.locals.api(RankCampaignMutation, { campaignId });
    if (!result.data?.rankCampaign) {
      return fail(statusOf(result), {
        failure: result.unavailable
          ? unavailableFailure()
          : apiFailure(result.errors, undefined, MANAGER_ONLY),
      });
    }
    redirect(303, `/comune/${comuneId}/misure/${campaignId}/graduatoria?esito=calcolata`);
  },
};
