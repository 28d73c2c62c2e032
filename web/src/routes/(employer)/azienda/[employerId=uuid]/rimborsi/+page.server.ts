import { claimStatusParam } from '$lib/corporate-claims';
import { centsOrZero } from '$lib/money';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { EmployerClaimsQuery } from '$lib/server/operations-corporate-claims';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** Claims shown per page. */
const PAGE_SIZE = 20;

/** HR's queue of reimbursement claims: by status (`?stato=`), oldest first, a page (`?pagina=`). */
export const load: PageServerLoad = async (event) => {
  requireEmployerHr(event);
  const { employerId } = event.params;
  const status = claimStatusParam(event.url.searchParams.get('stato'));
  const page = Math.max(1, Number.parseInt(event.url.searchParams.get('pagina') ?? '1', 10) || 1);
  const result = await event.locals.api(EmployerClaimsQuery, {
    employerId,
    status,
    first: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  throwIfForbidden(result);
  const claims = requireFound(result.data?.employerWelfareClaims, result);
  return {
    employerId,
    status,
    page,
    pages: Math.max(1, Math.ceil(claims.totalCount / PAGE_SIZE)),
    totalCount: claims.totalCount,
    claims: claims.items.map((c) => ({ ...c, amountCents: centsOrZero(c.amountCents) })),
  };
};
