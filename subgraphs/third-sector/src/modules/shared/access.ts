import { DomainError, hasRoleIn, type Caller, type PersonCaller } from '@welfare/kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Roles of a Comune's staff (see the kit's `ROLES_BY_KIND`). */
export const COMUNE_STAFF_ROLES = ['OPERATOR', 'MANAGER'] as const;

/** The organisation kinds that are third-sector providers. */
export const PROVIDER_KINDS = ['COOPERATIVE', 'ASSOCIATION'] as const;

/** True when the caller is staff (ACTIVE OPERATOR or MANAGER) of the Comune, or a platform admin. */
export function isComuneStaff(caller: Caller, comuneId: string): boolean {
  return hasRoleIn(caller, comuneId, COMUNE_STAFF_ROLES);
}

/** True when the caller is MANAGER (responsabile) of the Comune, or a platform admin. */
export function isComuneManager(caller: Caller, comuneId: string): boolean {
  return hasRoleIn(caller, comuneId, ['MANAGER']);
}

/**
 * True when the caller is ADMIN of the provider organisation (a COOPERATIVE or an ASSOCIATION).
 * Platform admins do not act for providers: a provider's requests are its own.
 */
export function isProviderAdmin(caller: Caller, providerId: string): boolean {
  if (caller.kind !== 'person') return false;
  return caller.memberships.some(
    (m) =>
      m.organisationId === providerId &&
      (PROVIDER_KINDS as readonly string[]).includes(m.organisationKind) &&
      m.role === 'ADMIN',
  );
}

/** The caller as a person (UNAUTHENTICATED otherwise). */
export function requirePerson(caller: Caller): PersonCaller {
  if (caller.kind !== 'person') throw DomainError.unauthenticated();
  return caller;
}

/** A malformed id, as a field error. */
export function badId(field: string): DomainError {
  return DomainError.badInput([
    { field, message: { it: 'Identificativo non valido.', en: 'Malformed id.' } },
  ]);
}

/**
 * The caller as staff of the Comune: UNAUTHENTICATED when not a person, BAD_USER_INPUT for a
 * malformed id, FORBIDDEN for anyone who is not staff of that Comune (nor a platform admin).
 */
export function requireComuneStaff(caller: Caller, comuneId: string): PersonCaller {
  const person = requirePerson(caller);
  if (!isUuid(comuneId)) throw badId('comuneId');
  if (!isComuneStaff(person, comuneId)) throw DomainError.forbidden();
  return person;
}

/** The caller as MANAGER of the Comune (or platform admin). Same errors as `requireComuneStaff`. */
export function requireComuneManager(caller: Caller, comuneId: string): PersonCaller {
  const person = requireComuneStaff(caller, comuneId);
  if (!isComuneManager(person, comuneId)) throw DomainError.forbidden();
  return person;
}

/** The caller as ADMIN of the provider: UNAUTHENTICATED, BAD_USER_INPUT or FORBIDDEN otherwise. */
export function requireProviderAdmin(caller: Caller, providerId: string): PersonCaller {
  const person = requirePerson(caller);
  if (!isUuid(providerId)) throw badId('providerId');
  if (!isProviderAdmin(person, providerId)) throw DomainError.forbidden();
  return person;
}
