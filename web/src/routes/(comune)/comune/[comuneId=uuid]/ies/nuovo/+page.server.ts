import { error, redirect } from '@sveltejs/kit';
import { canReconcileMoney } from '$lib/roles';
import { requireViewer } from '$lib/server/guards';
import { createIesCircuitFromForm, defaultIesCreateValues } from '$lib/server/ies-create';
import type { Actions, PageServerLoad } from './$types';

/** The Comune's MANAGER (or a platform admin): 403 for its OPERATORs and anyone else. */
function requireManager(event: { locals: App.Locals; url: URL }, comuneId: string): void {
  const viewer = requireViewer(event);
  if (!canReconcileMoney(viewer, comuneId)) error(403, 'Forbidden');
}

/** A new IES circuit of this Comune (the API checks the same). */
export const load: PageServerLoad = (event) => {
  const { comuneId } = event.params;
  requireManager(event, comuneId);
  return { comuneId, values: defaultIesCreateValues(comuneId) };
};

export const actions: Actions = {
  create: async (event) => {
    const { comuneId } = event.params;
    requireManager(event, comuneId);
    const outcome = await createIesCircuitFromForm(event, comuneId);
    if (outcome.failure) return outcome.failure;
    redirect(303, `/comune/${comuneId}/ies/${outcome.created.id}/regole`);
  },
};
