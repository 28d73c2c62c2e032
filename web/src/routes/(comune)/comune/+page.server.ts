import { canUseRegistry } from '$lib/roles';
import { requireArea } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  const { viewer, memberships } = requireArea(event, 'comune');
  // Each Comune once, with links to its registry and imports (its OPERATOR/MANAGER).
  const comuni = new Map<string, { id: string; name: string }>();
  for (const { organisation } of memberships) {
    if (canUseRegistry(viewer, organisation.id)) {
      comuni.set(organisation.id, { id: organisation.id, name: organisation.name });
    }
  }
  return { memberships, comuni: [...comuni.values()] };
};
