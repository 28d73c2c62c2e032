import { requireArea } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => ({
  memberships: requireArea(event, 'esercente').memberships,
});
