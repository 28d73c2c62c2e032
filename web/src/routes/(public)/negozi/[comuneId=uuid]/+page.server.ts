import { requireFound } from '$lib/server/refusals';
import { PublicShopsQuery, ShopsComuneQuery } from '$lib/server/operations-shops';
import { mapTiles } from '$lib/server/map-tiles';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Where the cards of a Comune's measures can be spent: every accredited shop. Public. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const [comune, shops] = await Promise.all([
    locals.api(ShopsComuneQuery, { id: params.comuneId }),
    locals.api(PublicShopsQuery, { comuneId: params.comuneId }),
  ]);
  const organisation = requireFound(comune.data?.organisation, comune);
  if (organisation.kind !== 'COMUNE') error(404, 'Not found');
  return {
    comune: { id: organisation.id, name: organisation.name },
    shops: shops.data?.publicShops ?? [],
    unavailable: shops.unavailable || !shops.data?.publicShops,
    tiles: mapTiles(),
  };
};
