import { error } from '@sveltejs/kit';
import type { AccessMembership } from '$lib/roles';
import { requireArea } from '$lib/server/guards';

interface GuardEvent {
  locals: App.Locals;
  url: URL;
  params: { providerId: string };
}

/** An active ADMIN or TUTOR of this provider (403 for anyone else); `admin` tells which. */
export function requireProviderMember(event: GuardEvent): {
  membership: AccessMembership;
  admin: boolean;
} {
  const { memberships } = requireArea(event, 'ente');
  const { providerId } = event.params;
  const mine = memberships.filter((m) => m.organisation.id === providerId);
  const admin = mine.find((m) => m.role === 'ADMIN');
  const membership = admin ?? mine.find((m) => m.role === 'TUTOR');
  if (!membership) error(403, 'Forbidden');
  return { membership, admin: !!admin };
}
