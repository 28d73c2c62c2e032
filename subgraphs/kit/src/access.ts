import { hasRoleIn, type Caller, type PersonCaller } from './caller.js';
import { DomainError, type Localized } from './errors.js';

/**
 * Access checks every subgraph shares. They answer from the caller the gateway vouched for (its
 * memberships travel in the token), so a check costs no query. Each subgraph adds its own
 * (a shop's cashier, an employer's HR) beside these, in its `modules/shared/access.ts`.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID (ids are UUIDs; anything else cannot exist). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A malformed id, as a field error (BAD_USER_INPUT). */
export function badId(
  field: string,
  message: Localized = { it: 'Identificativo non valido.', en: 'Malformed id.' },
): DomainError {
  return DomainError.badInput([{ field, message }]);
}

/** Roles of a Comune's staff (see `ROLES_BY_KIND`). */
export const COMUNE_STAFF_ROLES = ['OPERATOR', 'MANAGER'] as const;

/** The organisation kinds that are third-sector providers. */
export const PROVIDER_KINDS = ['COOPERATIVE', 'ASSOCIATION'] as const;

/** A tenancy refusal: a person asked for an organisation they hold no membership in. */
export interface TenancyRefusal {
  caller: PersonCaller;
  /** The organisation asked for. */
  organisationId: string;
  /**
   * Which check refused: `comune` (staff of a Comune), `provider` (a provider's ADMIN) or
   * `organisation` (a subgraph's own check of an organisation's staff).
   */
  check: 'comune' | 'provider' | 'organisation';
}

let tenancyListener: ((refusal: TenancyRefusal) => void) | undefined;

/**
 * Installs the process's listener of tenancy refusals (one; the last installed wins), called
 * synchronously before the FORBIDDEN is thrown. It must not wait on the request: the audit log
 * records the refusal apart (`AuditLog.watchTenancy`). Returns the uninstaller.
 */
export function onTenancyRefusal(listener: (refusal: TenancyRefusal) => void): () => void {
  tenancyListener = listener;
  return () => {
    if (tenancyListener === listener) tenancyListener = undefined;
  };
}

/**
 * FORBIDDEN, told to the listener when the person holds no membership in the organisation (a
 * cross-tenant attempt; a wrong role inside one's own organisation is not one). For a subgraph's
 * own checks of an organisation's staff; the checks below use it.
 */
export function refuse(
  person: PersonCaller,
  organisationId: string,
  check: TenancyRefusal['check'],
): DomainError {
  const member = person.memberships.some((m) => m.organisationId === organisationId);
  if (!member && !person.platformAdmin && isUuid(organisationId)) {
    try {
      tenancyListener?.({ caller: person, organisationId, check });
    } catch {
      // The refusal stands whatever the listener does.
    }
  }
  return DomainError.forbidden();
}

/** The caller as a logged-in person, or UNAUTHENTICATED. */
export function requirePerson(caller: Caller): PersonCaller {
  if (caller.kind !== 'person') throw DomainError.unauthenticated();
  return caller;
}

/** The caller as a platform admin: UNAUTHENTICATED when anonymous, FORBIDDEN otherwise. */
export function requirePlatformAdmin(caller: Caller): PersonCaller {
  const person = requirePerson(caller);
  if (!person.platformAdmin) throw DomainError.forbidden();
  return person;
}

/** True when the caller is staff (ACTIVE OPERATOR or MANAGER) of the Comune, or a platform admin. */
export function isComuneStaff(caller: Caller, comuneId: string): boolean {
  return hasRoleIn(caller, comuneId, COMUNE_STAFF_ROLES);
}

/** True when the caller is MANAGER (responsabile) of the Comune, or a platform admin. */
export function isComuneManager(caller: Caller, comuneId: string): boolean {
  return hasRoleIn(caller, comuneId, ['MANAGER']);
}

/**
 * The caller as staff of the Comune: UNAUTHENTICATED when not a person, BAD_USER_INPUT for a
 * malformed id, FORBIDDEN for anyone who is not staff of that Comune (nor a platform admin).
 */
export function requireComuneStaff(caller: Caller, comuneId: string): PersonCaller {
  const person = requirePerson(caller);
  if (!isUuid(comuneId)) {
    throw badId('comuneId', {
      it: 'Identificativo del Comune non valido.',
      en: 'Malformed Comune id.',
    });
  }
  if (!isComuneStaff(person, comuneId)) throw refuse(person, comuneId, 'comune');
  return person;
}

/**
 * The caller as MANAGER (responsabile) of the Comune, or a platform admin: publishing, closing,
 * budgets, decisions. Same errors as `requireComuneStaff`.
 */
export function requireComuneManager(caller: Caller, comuneId: string): PersonCaller {
  const person = requireComuneStaff(caller, comuneId);
  if (!isComuneManager(person, comuneId)) throw DomainError.forbidden();
  return person;
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

/** The caller as ADMIN of the provider: UNAUTHENTICATED, BAD_USER_INPUT or FORBIDDEN otherwise. */
export function requireProviderAdmin(caller: Caller, providerId: string): PersonCaller {
  const person = requirePerson(caller);
  if (!isUuid(providerId)) throw badId('providerId');
  if (!isProviderAdmin(person, providerId)) throw refuse(person, providerId, 'provider');
  return person;
}

/** How an audit log names a caller. */
export function actorOf(caller: Caller): string {
  if (caller.kind === 'person') return `person:${caller.personId}`;
  if (caller.kind === 'service') return `service:${caller.service}`;
  return 'anonymous';
}
