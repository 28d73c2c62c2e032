import { error, redirect } from '@sveltejs/kit';
import { requireAdmin } from '$lib/server/guards';
import { createIesCircuitFromForm, defaultIesCreateValues } from '$lib/server/ies-create';
import { OrganisationsQuery } from '$lib/server/operations';
import type { Actions, PageServerLoad } from './$types';

/** A new IES circuit for any Comune (platform admins only: the layout and the API check it). */
export const load: PageServerLoad = async (event) => {
  requireAdmin(event);
  const result = await event.locals.api(OrganisationsQuery);
  if (!result.data) error(result.unavailable ? 503 : 500, 'Organisations unavailable');
  return {
    comuni: result.data.organisations
      .filter((o) => o.kind === 'COMUNE')
      .map((o) => ({ value: o.id, label: o.name })),
    values: defaultIesCreateValues(),
  };
};

export const actions: Actions = {
  create: async (event) => {
    requireAdmin(event);
    const outcome = await createIesCircuitFromForm(event, null);
    if (outcome.failure) return outcome.failure;
    redirect(303, `/circuiti-ies/${outcome.created.code}`);
  },
};
