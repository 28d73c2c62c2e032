import { error } from '@sveltejs/kit';
import type { AccessMembership } from '$lib/roles';
import { requireArea } from '$lib/server/guards';

interface GuardEvent {
  locals: App.Locals;
  url: URL;
  params: { providerId: string };
}

/** An active ADMIN of this COOPERATIVE or ASSOCIATION (403 for anyone else). */
export function requireProviderAdmin(event: GuardEvent): AccessMembership {
  const { memberships } = requireArea(event, 'ente');
  const { providerId } = event.params;
  const membership = memberships.find(
    (m) => m.organisation.id === providerId && m.role === 'ADMIN',
  );
  if (!membership) error(403, 'Forbidden');
  return membership;
}
