import { CorporatePlansQuery } from '$lib/server/operations-corporate-plans';
import { throwIfForbidden } from '$lib/server/refusals';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import type { PageServerLoad } from './$types';

/** The employer's welfare plans, newest year first (its HR only). */
export const load: PageServerLoad = async (event) => {
  const membership = requireEmployerHr(event);
  const result = await event.locals.api(CorporatePlansQuery, {
    employerId: event.params.employerId,
  });
  throwIfForbidden(result);
  return {
    employerId: event.params.employerId,
    employerName: membership.organisation.name,
    plans: result.data?.employerWelfarePlans ?? [],
    unavailable: result.unavailable,
  };
};
