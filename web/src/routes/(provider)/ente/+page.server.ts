import { requireArea } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  const { memberships } = requireArea(event, 'ente');
  return {
    memberships,
    // The providers whose accreditation the person handles (their ADMINs).
    providers: memberships
      .filter((m) => m.role === 'ADMIN')
      .map((m) => ({ id: m.organisation.id, name: m.organisation.name })),
    // The providers whose tutoring the person runs (ADMIN) or teaches (TUTOR).
    tutoring: [
      ...new Map(
        memberships
          .filter((m) => m.role === 'ADMIN' || m.role === 'TUTOR')
          .map((m) => [m.organisation.id, { id: m.organisation.id, name: m.organisation.name }]),
      ).values(),
    ],
  };
};
