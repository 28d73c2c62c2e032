import { canReconcileMoney } from '$lib/roles';
import { requireComuneStaff } from '$lib/server/guards';
import { ComuneWorklistQuery } from '$lib/server/operations-worklist';
import { throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/**
 * The Comune's worklist, its staff's home page after login: what waits for them today, each count
 * a link to the list it counts. Counts only (public-welfare and third-sector, one request).
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(ComuneWorklistQuery, { comuneId });
  throwIfForbidden(result);
  const name =
    viewer.memberships.find((m) => m.organisation.id === comuneId)?.organisation.name ?? null;
  return {
    comuneId,
    name,
    /** Approving batches is a MANAGER's: an operator sees the count, not a call to act. */
    manager: canReconcileMoney(viewer, comuneId),
    worklist: result.data?.comuneWorklist ?? null,
    accreditations: result.data?.providerAccreditationQueue?.totalCount ?? null,
  };
};
