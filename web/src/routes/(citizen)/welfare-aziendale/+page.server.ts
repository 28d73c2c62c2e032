import { requireViewer } from '$lib/server/guards';
import { MyWelfarePlansQuery } from '$lib/server/operations-corporate-employee';
import type { PageServerLoad } from './$types';

/** Movements shown per page. */
const PAGE_SIZE = 20;

/** A cursor as the API gives it (digits only); anything else is ignored. */
const cursorParam = (value: string | null) => (value && /^\d{1,15}$/.test(value) ? value : null);

/**
 * "Il mio welfare aziendale": the plans the person is in at every employer (by the codice fiscale
 * of their login), the credit, the fringe benefits and a page of movements per plan. An older page
 * of one plan's movements: `?piano=<planId>&dopo=<cursor>` (plain links: no script needed).
 */
export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const planParam = event.url.searchParams.get('piano');
  const after = cursorParam(event.url.searchParams.get('dopo'));
  const result = await event.locals.api(MyWelfarePlansQuery, { first: PAGE_SIZE, after: null });
  // The older page of one plan: the cursor is that plan's, so only its movements are taken.
  const older =
    after && planParam
      ? await event.locals.api(MyWelfarePlansQuery, { first: PAGE_SIZE, after })
      : null;
  const plans = (result.data?.myWelfarePlans ?? []).map((p) => {
    const paged =
      older && p.planId === planParam
        ? older.data?.myWelfarePlans.find(
            (o) => o.planId === p.planId && o.employeeId === p.employeeId,
          )
        : null;
    const movements = (paged ?? p).movements;
    return {
      ...p,
      olderPage: Boolean(paged),
      movements: {
        hasNextPage: movements.hasNextPage,
        endCursor: movements.endCursor,
        nodes: movements.nodes.map((mv) => ({
          ...mv,
          amountCents: Number(mv.amountCents),
          balanceAfterCents: Number(mv.balanceAfterCents),
        })),
      },
    };
  });
  return {
    hasFiscalCode: Boolean(viewer.person.fiscalCode),
    plans,
    unavailable: result.unavailable || !result.data?.myWelfarePlans,
  };
};
