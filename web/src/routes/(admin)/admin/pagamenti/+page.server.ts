import { requireAdmin } from '$lib/server/guards';
import { PaymentReconciliationsQuery } from '$lib/server/operations-provider-payments';
import { throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** How many reconciliations the page lists (the API gives at most 50). */
const REPORTS = 30;

/** The nightly reconciliations of Stripe's transactions with the card payments (platform admins). */
export const load: PageServerLoad = async (event) => {
  requireAdmin(event);
  const result = await event.locals.api(PaymentReconciliationsQuery, { limit: REPORTS });
  throwIfForbidden(result);
  return {
    reports: result.data?.paymentReconciliations ?? [],
    unavailable: result.unavailable || !result.data,
  };
};
