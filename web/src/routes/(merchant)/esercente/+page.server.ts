import { requireArea } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  const { memberships } = requireArea(event, 'esercente');
  // Each shop once, with links to its agreements and its till.
  const shops = new Map<string, { id: string; name: string }>();
  for (const { organisation } of memberships) {
    if (organisation.kind === 'MERCHANT') {
      shops.set(organisation.id, { id: organisation.id, name: organisation.name });
    }
  }
  return { memberships, shops: [...shops.values()] };
};
