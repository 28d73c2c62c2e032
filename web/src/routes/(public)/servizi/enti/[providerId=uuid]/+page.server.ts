import { CatalogueQuery } from '$lib/server/offers';
import type { PageServerLoad } from './$types';

/** A provider's public page: its offers in the catalogue (50 at most, by title). */
export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await locals.api(CatalogueQuery, {
    input: { providerId: params.providerId, pageSize: 50 },
  });
  const page = result.data?.catalogue;
  return {
    providerId: params.providerId,
    providerName: page?.items[0]?.provider?.name ?? null,
    offers: page?.items ?? [],
    unavailable: result.unavailable || !page,
  };
};
