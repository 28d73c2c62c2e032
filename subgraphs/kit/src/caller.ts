/** Kinds of organisation on the platform. */
export const ORGANISATION_KINDS = [
  'COMUNE',
  'COOPERATIVE',
  'ASSOCIATION',
  'EMPLOYER',
  'MERCHANT',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Roles a person holds in an organisation. Which roles fit which kind: `ROLES_BY_KIND`. */
export const ROLES = ['OPERATOR', 'MANAGER', 'ADMIN', 'TUTOR', 'HR', 'OWNER', 'CASHIER'] as const;
export type Role = (typeof ROLES)[number];

export const ROLES_BY_KIND: Record<OrganisationKind, readonly Role[]> = {
  COMUNE: ['OPERATOR', 'MANAGER'],
  COOPERATIVE: ['ADMIN', 'TUTOR'],
  ASSOCIATION: ['ADMIN', 'TUTOR'],
  EMPLOYER: ['HR'],
  MERCHANT: ['OWNER', 'CASHIER'],
};

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
