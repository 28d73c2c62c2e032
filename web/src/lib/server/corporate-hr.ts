// The HR pages of an employer (corporate welfare): who may open them.
import { error } from '@sveltejs/kit';
import type { AccessMembership } from '$lib/roles';
import { romeToday } from '$lib/dates';
import { requireArea } from './guards';

interface GuardEvent {
  locals: App.Locals;
  url: URL;
  params: { employerId: string };
}

/** An active HR membership of this EMPLOYER (403 for anyone else). */
export function requireEmployerHr(event: GuardEvent): AccessMembership {
  const { memberships } = requireArea(event, 'azienda');
  const membership = memberships.find(
    (ms) =>
      ms.organisation.id === event.params.employerId &&
      ms.organisation.kind === 'EMPLOYER' &&
      ms.role === 'HR',
  );
  if (!membership) error(403, 'Forbidden');
  return membership;
}

/** The tax year asked for (`?anno=`), this year in Rome otherwise. */
export function yearParam(url: URL): number {
  const asked = Number(url.searchParams.get('anno'));
  return Number.isInteger(asked) && asked >= 2000 && asked <= 2100
    ? asked
    : Number(romeToday().slice(0, 4));
}
