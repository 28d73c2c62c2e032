import type { OrganisationKind, Role } from './vocabulary.js';
import { ROLES } from './vocabulary.js';

export { ORGANISATION_KINDS, ROLES, ROLES_BY_KIND } from './vocabulary.js';
export type { OrganisationKind, Role } from './vocabulary.js';

/** One membership of the caller, as carried in the gateway token. */
export interface CallerMembership {
  organisationId: string;
  organisationKind: OrganisationKind;
  role: Role;
}

/**
 * Who is calling, as established by the gateway from the session (never from the client).
 * A service caller is another platform process (the gateway itself, a subgraph).
 */
export type Caller =
  | { kind: 'anonymous' }
  | {
      kind: 'person';
      personId: string;
      sessionId: string;
      platformAdmin: boolean;
      memberships: CallerMembership[];
      /**
       * The person's codice fiscale, when known (citizens who logged in with SPID/CIE): the key
       * by which subgraphs find the person's own records (household, applications).
       */
      fiscalCode?: string;
    }
  | { kind: 'service'; service: string };

export const ANONYMOUS: Caller = { kind: 'anonymous' };

export type PersonCaller = Extract<Caller, { kind: 'person' }>;

/** True when the caller holds one of `roles` in `organisationId` (platform admins always do). */
export function hasRoleIn(
  caller: Caller,
  organisationId: string,
  roles: readonly Role[] = ROLES,
): boolean {
  if (caller.kind !== 'person') return false;
  if (caller.platformAdmin) return true;
  return caller.memberships.some(
    (m) => m.organisationId === organisationId && roles.includes(m.role),
  );
}
