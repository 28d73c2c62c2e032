import { error } from '@sveltejs/kit';
import { centsOrZero } from '$lib/money';
import { requireComuneStaff } from '$lib/server/guards';
import { throwIfForbidden } from '$lib/server/refusals';
import { isComuneManager } from './access';
import { CampaignsQuery } from './operations.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(CampaignsQuery, { comuneId });
  throwIfForbidden(result);
  const comune = result.data?.organisation ?? null;
  if (!result.unavailable && (!comune || comune.kind !== 'COMUNE')) error(404, 'Not found');
  return {
    comuneId,
    comune,
    isManager: isComuneManager(viewer, comuneId),
    campaigns: (result.data?.campaigns ?? []).map((c) => ({
      ...c,
      budgetCents: centsOrZero(c.budgetCents),
    })),
    unavailable: result.unavailable || !result.data?.campaigns,
  };
};
