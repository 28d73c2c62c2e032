import { IesCircuitsQuery } from '$lib/server/operations-ies-reserve';
import type { PageServerLoad } from './$types';

/** The IES circuits (public): each links to its transparency page. */
export const load: PageServerLoad = async ({ locals }) => {
  const result = await locals.api(IesCircuitsQuery);
  return {
    circuits: result.data?.iesCircuits ?? [],
    unavailable: result.unavailable || !result.data,
  };
};
