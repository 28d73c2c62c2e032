import { requireArea, requireComuneStaff } from '$lib/server/guards';
import type { LayoutServerLoad } from './$types';

/**
 * The area page: people with an active membership of the area's organisation kinds. A Comune's
 * own pages (`/comune/[comuneId]/…`): its staff and platform admins. 403 otherwise.
 */
export const load: LayoutServerLoad = (event) => {
  if (event.params.comuneId !== undefined) requireComuneStaff(event, event.params.comuneId);
  else requireArea(event, 'comune');
};
