import { centsOrZero } from '$lib/money';
import { requireViewer } from '$lib/server/guards';
import { ClaimQuery } from '$lib/server/operations-corporate-claims';
import { requireFound } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** One of the employee's claims, with its receipts and HR's decision. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api(ClaimQuery, { id: event.params.claimId });
  const claim = requireFound(result.data?.welfareClaim, result);
  return {
    claim: { ...claim, amountCents: centsOrZero(claim.amountCents) },
    filed: event.url.searchParams.get('inviata') === '1',
  };
};
