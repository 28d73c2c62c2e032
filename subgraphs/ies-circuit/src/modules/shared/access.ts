import { hasRoleIn, type Caller, type PersonCaller } from '@welfare/kit';
import {
  badId,
  isUuid,
  refuse,
  requireComuneManager,
  requireComuneStaff,
  requirePerson,
} from '@welfare/kit/access';
import { DomainError } from '@welfare/kit/errors';

// The kit's access checks (Comune staff, providers, platform admins) are shared by every
// subgraph; this file adds the subgraph's own, built on them.

/** A circuit as the access checks need it. */
interface Managed {
  managerId: string;
}

/**
 * The caller as staff (OPERATOR or MANAGER) of the circuit's manager organisation, or a platform
 * admin: members, rules, reserve. UNAUTHENTICATED / FORBIDDEN otherwise (the refusal is told to the
 * audit log's tenancy listener): one circuit's manager sees nothing of another's.
 */
export function requireCircuitStaff(caller: Caller, circuit: Managed): PersonCaller {
  return requireComuneStaff(caller, circuit.managerId);
}

/** The caller as MANAGER (responsabile) of the circuit's manager: approving conversions (payouts). */
export function requireCircuitManager(caller: Caller, circuit: Managed): PersonCaller {
  return requireComuneManager(caller, circuit.managerId);
}

/** The roles that act for a member organisation in the circuit (its till, its conversions). */
export const ORGANISATION_MEMBER_ROLES = [
  'OWNER',
  'CASHIER',
  'ADMIN',
  'MANAGER',
  'OPERATOR',
] as const;

/**
 * The caller as someone who acts for the organisation (any of `roles` in it): UNAUTHENTICATED,
 * BAD_USER_INPUT for a malformed id, FORBIDDEN otherwise. Platform admins are not let in: a
 * business's wallet is its own.
 */
export function requireOrganisationRole(
  caller: Caller,
  organisationId: string,
  roles: readonly string[] = ORGANISATION_MEMBER_ROLES,
): PersonCaller {
  const person = requirePerson(caller);
  if (!isUuid(organisationId)) throw badId('organisationId');
  const acts = person.memberships.some(
    (m) => m.organisationId === organisationId && roles.includes(m.role),
  );
  if (!acts) throw refuse(person, organisationId, 'organisation');
  return person;
}

/**
 * The caller as a citizen with a codice fiscale (a SPID/CIE login): the key of their membership.
 * Staff logged in with a password have none, and hold no citizen wallet.
 */
export function requireCitizen(caller: Caller): PersonCaller & { fiscalCode: string } {
  const person = requirePerson(caller);
  if (!person.fiscalCode) {
    throw DomainError.forbidden({
      it: 'Accedi con SPID o CIE per usare il portafoglio IES.',
      en: 'Log in with SPID or CIE to use the IES wallet.',
    });
  }
  return person as PersonCaller & { fiscalCode: string };
}

/** True when the caller holds one of the organisation roles in it (no platform-admin bypass). */
export function actsFor(caller: Caller, organisationId: string): boolean {
  return (
    caller.kind === 'person' &&
    !caller.platformAdmin &&
    hasRoleIn(caller, organisationId, ORGANISATION_MEMBER_ROLES)
  );
}
