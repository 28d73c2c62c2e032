import { error } from '@sveltejs/kit';
import { centsOrZero } from '$lib/money';
import { requireViewer } from '$lib/server/guards';
import { MyClaimsQuery } from '$lib/server/operations-corporate-claims';
import type { PageServerLoad } from './$types';

/** The employee's reimbursement claims, newest first, and whether they can file one. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api(MyClaimsQuery, {});
  if (!result.data) error(result.unavailable ? 503 : 500, 'Unavailable');
  return {
    claims: result.data.myWelfareClaims.map((c) => ({
      ...c,
      amountCents: centsOrZero(c.amountCents),
    })),
    canFile: result.data.myWelfareClaimOptions.length > 0,
  };
};
