import { DomainError, hasRoleIn, type Caller, type PersonCaller } from '@welfare/kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Roles of a Comune's staff that may read and write its registry and income data. */
export const COMUNE_STAFF_ROLES = ['OPERATOR', 'MANAGER'] as const;

/** True when the caller is staff (ACTIVE OPERATOR or MANAGER) of the Comune, or a platform admin. */
export function isComuneStaff(caller: Caller, comuneId: string): boolean {
  return hasRoleIn(caller, comuneId, COMUNE_STAFF_ROLES);
}

/**
 * The caller as staff of the Comune: UNAUTHENTICATED when not a person, BAD_USER_INPUT for a
 * malformed id, FORBIDDEN for anyone who is not staff of that Comune (nor a platform admin).
 */
export function requireComuneStaff(caller: Caller, comuneId: string): PersonCaller {
  if (caller.kind !== 'person') throw DomainError.unauthenticated();
  if (!isUuid(comuneId)) {
    throw DomainError.badInput([
      {
        field: 'comuneId',
        message: { it: 'Identificativo del Comune non valido.', en: 'Malformed Comune id.' },
      },
    ]);
  }
  if (!isComuneStaff(caller, comuneId)) throw DomainError.forbidden();
  return caller;
}

/** How the audit log names a caller. */
export function actorOf(caller: Caller): string {
  if (caller.kind === 'person') return `person:${caller.personId}`;
  if (caller.kind === 'service') return `service:${caller.service}`;
  return 'anonymous';
}

/**
 * The caller as MANAGER (responsabile) of the Comune, or a platform admin: publishing, closing,
 * budgets and rankings. Same errors as `requireComuneStaff`.
 */
export function requireComuneManager(caller: Caller, comuneId: string): PersonCaller {
  const person = requireComuneStaff(caller, comuneId);
  if (!hasRoleIn(person, comuneId, ['MANAGER'])) throw DomainError.forbidden();
  return person;
}
