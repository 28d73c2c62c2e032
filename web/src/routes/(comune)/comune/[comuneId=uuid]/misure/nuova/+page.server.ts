import { requireComuneStaff } from '$lib/server/guards';
import { save, simulate } from '../campaign-actions.server';
import { defaultValues } from '../campaign-values';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  return { comuneId, values: defaultValues() };
};

export const actions: Actions = {
  save: (event) => {
    requireComuneStaff(event, event.params.comuneId);
    return save(event, event.params.comuneId, null);
  },
  simulate: (event) => {
    requireComuneStaff(event, event.params.comuneId);
    return simulate(event, event.params.comuneId);
  },
};
