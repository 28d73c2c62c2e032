import { requireAdmin } from '$lib/server/guards';
import type { LayoutServerLoad } from './$types';

/** Platform admins only (403 otherwise). */
export const load: LayoutServerLoad = (event) => {
  requireAdmin(event);
};
