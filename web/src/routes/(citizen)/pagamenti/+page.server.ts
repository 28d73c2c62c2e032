import { requireViewer } from '$lib/server/guards';
import { MyCheckoutsQuery } from '$lib/server/operations-payments';
import type { PageServerLoad } from './$types';

/** The person's payments (checkouts), newest first. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api(MyCheckoutsQuery, {});
  return {
    checkouts: result.data?.myCheckouts ?? [],
    unavailable: result.unavailable || !result.data?.myCheckouts,
  };
};
