// Organisation kinds, roles and what they give access to. Pure: shared by server and components.
// The kinds, roles and membership statuses are the API's enums (api-enums.ts).
import {
  type MembershipStatus,
  ORGANISATION_KINDS,
  type OrganisationKind,
  ROLES,
  type Role,
  isOneOf,
} from './api-enums';

/** The roles each kind of organisation has (as the API documents them). */
export const ROLES_BY_KIND: Record<OrganisationKind, readonly Role[]> = {
  COMUNE: ['OPERATOR', 'MANAGER'],
  COOPERATIVE: ['ADMIN', 'TUTOR'],
  ASSOCIATION: ['ADMIN', 'TUTOR'],
  EMPLOYER: ['HR'],
  MERCHANT: ['OWNER', 'CASHIER'],
};

/** The role that manages an organisation's members (may invite). */
export const MANAGER_ROLE: Record<OrganisationKind, Role> = {
  COMUNE: 'MANAGER',
  COOPERATIVE: 'ADMIN',
  ASSOCIATION: 'ADMIN',
  EMPLOYER: 'HR',
  MERCHANT: 'OWNER',
};

/** What the portal needs to know about the logged-in person to decide access and navigation. */
export interface AccessMembership {
  role: Role;
  status: MembershipStatus;
  organisation: { id: string; kind: OrganisationKind; name: string };
}
export interface AccessViewer {
  platformAdmin: boolean;
  memberships: readonly AccessMembership[];
  /** True when the person's codice fiscale is known (citizens who log in with SPID/CIE). */
  citizen?: boolean;
}

/** Active memberships in organisations of the given kinds. */
export function membershipsOfKinds(
  viewer: AccessViewer | null,
  kinds: readonly OrganisationKind[],
): AccessMembership[] {
  if (!viewer) return [];
  return viewer.memberships.filter(
    (m) => m.status === 'ACTIVE' && kinds.includes(m.organisation.kind),
  );
}

/** Platform admins, and the organisation's active manager, may invite members. */
/** True when the viewer may open an organisation's page: its active members and platform admins. */
export function canViewOrganisation(viewer: AccessViewer | null, organisationId: string): boolean {
  if (!viewer) return false;
  if (viewer.platformAdmin) return true;
  return viewer.memberships.some(
    (m) => m.status === 'ACTIVE' && m.organisation.id === organisationId,
  );
}

export function canManageOrganisation(
  viewer: AccessViewer | null,
  organisation: { id: string; kind: OrganisationKind },
): boolean {
  if (!viewer) return false;
  if (viewer.platformAdmin) return true;
  return viewer.memberships.some(
    (m) =>
      m.status === 'ACTIVE' &&
      m.organisation.id === organisation.id &&
      m.role === MANAGER_ROLE[organisation.kind],
  );
}

/** The Comune roles that work on its registry (anagrafe and ISEE) and its imports. */
export const REGISTRY_ROLES: readonly Role[] = ['OPERATOR', 'MANAGER'];

/** True when the viewer may open a Comune's registry and imports: its active staff and platform admins. */
export function canUseRegistry(viewer: AccessViewer | null, comuneId: string): boolean {
  if (!viewer) return false;
  if (viewer.platformAdmin) return true;
  return viewer.memberships.some(
    (m) =>
      m.status === 'ACTIVE' &&
      m.organisation.id === comuneId &&
      m.organisation.kind === 'COMUNE' &&
      REGISTRY_ROLES.includes(m.role),
  );
}

/**
 * True when the viewer is a Comune's active MANAGER or a platform admin: who publishes campaigns,
 * sets budgets, ranks, and reads and runs the money check (the reconciliation). Operators may not
 * (the API answers FORBIDDEN).
 */
export function canReconcileMoney(viewer: AccessViewer | null, comuneId: string): boolean {
  if (!viewer) return false;
  if (viewer.platformAdmin) return true;
  return viewer.memberships.some(
    (m) =>
      m.status === 'ACTIVE' &&
      m.organisation.id === comuneId &&
      m.organisation.kind === 'COMUNE' &&
      m.role === 'MANAGER',
  );
}

export function isOrganisationKind(value: unknown): value is OrganisationKind {
  return isOneOf(ORGANISATION_KINDS, value);
}

export function isRole(value: unknown): value is Role {
  return isOneOf(ROLES, value);
}

/** A Comune's audit log: its active MANAGERs and platform admins (the API enforces the same). */
export function canReadAuditLog(viewer: AccessViewer | null, comuneId: string): boolean {
  return canReconcileMoney(viewer, comuneId);
}
