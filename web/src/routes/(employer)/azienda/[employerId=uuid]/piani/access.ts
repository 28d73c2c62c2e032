import { error } from '@sveltejs/kit';
import type { AccessMembership } from '$lib/roles';
import { requireArea } from '$lib/server/guards';

interface GuardEvent {
  locals: App.Locals;
  url: URL;
  params: { employerId: string };
}

/** An active HR member of this EMPLOYER (403 for anyone else; the API enforces the same rule). */
export function requireHr(event: GuardEvent): AccessMembership {
  const { memberships } = requireArea(event, 'azienda');
  const { employerId } = event.params;
  const membership = memberships.find(
    (m) =>
      m.organisation.id === employerId && m.organisation.kind === 'EMPLOYER' && m.role === 'HR',
  );
  if (!membership) error(403, 'Forbidden');
  return membership;
}
