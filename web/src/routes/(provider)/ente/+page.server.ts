import { ProviderReimbursementsQuery } from '$lib/server/operations-reimbursement';
import { requireArea } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { memberships } = requireArea(event, 'ente');
  // The providers whose accreditation the person handles (their ADMINs).
  const providers = memberships
    .filter((m) => m.role === 'ADMIN')
    .map((m) => ({ id: m.organisation.id, name: m.organisation.name }));
  return {
    memberships,
    providers,
    // The providers whose tutoring the person runs (ADMIN) or teaches (TUTOR).
    tutoring: [
      ...new Map(
        memberships
          .filter((m) => m.role === 'ADMIN' || m.role === 'TUTOR')
          .map((m) => [m.organisation.id, { id: m.organisation.id, name: m.organisation.name }]),
      ).values(),
    ],
    // What the Comunes' reimbursement batches pay each of them (null: not available now).
    paid: await Promise.all(
      providers.map(async (p) => {
        const result = await event.locals.api(ProviderReimbursementsQuery, { providerId: p.id });
        const lines = result.data?.providerReimbursements;
        return {
          ...p,
          lines: lines
            ? lines.slice(0, 20).map((l) => ({ ...l, amountCents: Number(l.amountCents) }))
            : null,
        };
      }),
    ),
  };
};
