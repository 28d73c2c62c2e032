import { requireFound } from '$lib/server/refusals';
import { IesImpactQuery } from '$lib/server/operations-ies-reserve';
import type { PageServerLoad } from './$types';

/** A circuit's impact page (public): local spending, members, circulation, participation. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await locals.api(IesImpactQuery, { code: params.code });
  return { impact: requireFound(result.data?.iesImpact, result) };
};
