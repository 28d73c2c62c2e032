import { DomainError, type Caller, type PersonCaller } from '@welfare/kit';
import { isProviderAdmin, PROVIDER_KINDS, requirePerson } from '@welfare/kit/access';

/** True when the caller is an ACTIVE TUTOR of the provider (COOPERATIVE or ASSOCIATION). */
export function isProviderTutor(caller: Caller, providerId: string): boolean {
  if (caller.kind !== 'person') return false;
  return caller.memberships.some(
    (m) =>
      m.organisationId === providerId &&
      (PROVIDER_KINDS as readonly string[]).includes(m.organisationKind) &&
      m.role === 'TUTOR',
  );
}

/** True when the caller may see the provider's people (tutors' lessons, bookings): ADMIN or TUTOR. */
export function canSeeProvider(caller: Caller, providerId: string): boolean {
  return isProviderAdmin(caller, providerId) || isProviderTutor(caller, providerId);
}

/** The caller as a family: a citizen with a codice fiscale (FORBIDDEN for anyone else). */
export function requireFamily(caller: Caller): PersonCaller {
  const person = requirePerson(caller);
  if (!person.fiscalCode) {
    throw DomainError.forbidden({
      it: 'Per iscrivere e prenotare serve un accesso da cittadino (SPID o CIE).',
      en: 'Enrolling and booking need a citizen login (SPID or CIE).',
    });
  }
  return person;
}
