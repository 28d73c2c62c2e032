import { error } from '@sveltejs/kit';
import { canReconcileMoney } from '$lib/roles';
import { requireComuneStaff } from '$lib/server/guards';
import { ManagedIesCircuitsQuery } from '$lib/server/operations-ies-members';
import type { PageServerLoad } from './$types';

/** The IES circuits this Comune manages, with links to their pages. */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(ManagedIesCircuitsQuery, {});
  if (!result.data) error(result.unavailable ? 503 : 500, 'IES circuits unavailable');
  return {
    comuneId,
    circuits: result.data.myManagedIesCircuits.filter((c) => c.managerId === comuneId),
    // ies-create: its MANAGER creates circuits (OPERATORs see no link).
    canCreate: canReconcileMoney(viewer, comuneId),
  };
};
