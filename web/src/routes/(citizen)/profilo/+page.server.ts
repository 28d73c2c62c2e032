import { requireViewer } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  const viewer = requireViewer(event);
  return {
    person: viewer.person,
    platformAdmin: viewer.platformAdmin,
    memberships: viewer.memberships,
  };
};
