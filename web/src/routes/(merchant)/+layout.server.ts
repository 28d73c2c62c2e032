import { requireArea } from '$lib/server/guards';
import type { LayoutServerLoad } from './$types';

/** People with an active membership of the area's organisation kinds (403 otherwise). */
export const load: LayoutServerLoad = (event) => {
  requireArea(event, 'esercente');
};
