import type { Caller, PersonCaller } from '@welfare/kit';
import { badId, isUuid, refuse, requirePerson } from '@welfare/kit/access';

// The kit's access checks (Comune staff, providers, platform admins) are shared by every
// subgraph; this file adds the subgraph's own, built on them.

/**
 * The caller as the employer's HR (an ACTIVE membership with role HR in it): UNAUTHENTICATED,
 * BAD_USER_INPUT for a malformed id, FORBIDDEN otherwise (a cross-tenant attempt is told to the
 * audit log's tenancy listener). Platform admins are not let in: an employer's employees and
 * their claims are the employer's business.
 */
export function requireHr(caller: Caller, employerId: string): PersonCaller {
  const person = requirePerson(caller);
  if (!isUuid(employerId)) throw badId('employerId');
  const hr = person.memberships.some((m) => m.organisationId === employerId && m.role === 'HR');
  if (!hr) throw refuse(person, employerId, 'organisation');
  return person;
}
