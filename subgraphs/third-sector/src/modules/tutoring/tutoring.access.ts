import type { Caller } from '@welfare/kit';
import { PROVIDER_KINDS } from '../shared/access.js';

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
