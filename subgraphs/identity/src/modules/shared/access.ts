import { DomainError, type Caller, type PersonCaller } from '@welfare/kit';

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID (ids are UUIDs; anything else cannot exist). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
