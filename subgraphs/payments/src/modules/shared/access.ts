import { hasRoleIn, type Caller, type PersonCaller } from '@welfare/kit';
import { badId, isUuid, requirePerson } from '@welfare/kit/access';
import { DomainError } from '@welfare/kit/errors';

// The kit's access checks (Comune staff, providers, platform admins) are shared by every
// subgraph; this file adds the subgraph's own, built on them.

/**
 * The caller as an ACTIVE member (any role) of the organisation, or a platform admin:
 * UNAUTHENTICATED, BAD_USER_INPUT for a malformed id, FORBIDDEN otherwise.
 */
export function requireMember(caller: Caller, organisationId: string): PersonCaller {
  const person = requirePerson(caller);
  if (!isUuid(organisationId)) throw badId('organisationId');
  if (!hasRoleIn(person, organisationId)) throw DomainError.forbidden();
  return person;
}
