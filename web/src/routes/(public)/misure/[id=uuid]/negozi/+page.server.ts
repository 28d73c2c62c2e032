import { requireFound } from '$lib/server/refusals';
import { PublicShopsQuery, ShopsMeasureQuery } from '$lib/server/operations-shops';
import { mapTiles } from '$lib/server/map-tiles';
import type { PageServerLoad } from './$types';

/** Where a measure's card can be spent: its accredited shops. Public. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const [measure, shops] = await Promise.all([
    locals.api(ShopsMeasureQuery, { id: params.id }),
    locals.api(PublicShopsQuery, { campaignId: params.id }),
  ]);
  const campaign = requireFound(measure.data?.campaign, measure);
  return {
    campaign,
    shops: shops.data?.publicShops ?? [],
    unavailable: shops.unavailable || !shops.data?.publicShops,
    tiles: mapTiles(),
  };
};
