import type { Caller, PersonCaller } from '@welfare/kit';
import { requirePlatformAdmin, requireProviderAdmin } from '@welfare/kit/access';
import { DomainError } from '@welfare/kit/errors';
import { StripeOutcomeUnknown, StripeRefusal } from '../stripe/stripe.gateway.js';

// The kit's access checks (providers, platform admins) are shared by every subgraph; this file
// names the ones payments uses and maps Stripe's failures to the one domain error type.

/**
 * The caller as ADMIN of the provider organisation (a COOPERATIVE or an ASSOCIATION): its payment
 * account is its own. UNAUTHENTICATED, BAD_USER_INPUT for a malformed id, FORBIDDEN otherwise
 * (platform admins too: they do not act for providers).
 */
export function requirePaymentAccountAdmin(caller: Caller, organisationId: string): PersonCaller {
  return requireProviderAdmin(caller, organisationId);
}

/** The caller as a platform admin (reconciliation reports). */
export function requireReconciliationReader(caller: Caller): PersonCaller {
  return requirePlatformAdmin(caller);
}

/** Card payments are not configured on this instance (no Stripe key outside production). */
export const cardPaymentsUnavailable = () =>
  new DomainError('SERVICE_UNAVAILABLE', {
    it: 'I pagamenti con carta non sono configurati.',
    en: 'Card payments are not configured.',
  });

/**
 * Stripe's failure as a domain error: an unknown outcome is SERVICE_UNAVAILABLE (retry: the same
 * idempotency key answers the first result), a refusal is CONFLICT. Anything else is rethrown.
 */
export function stripeFailure(err: unknown): never {
  if (err instanceof StripeOutcomeUnknown) {
    throw new DomainError(
      'SERVICE_UNAVAILABLE',
      {
        it: 'Stripe non ha risposto: l’esito non è noto. Riprova: l’operazione non sarà ripetuta.',
        en: 'Stripe did not answer: the outcome is unknown. Try again: it will not be done twice.',
      },
      { retryAfterSeconds: 5 },
    );
  }
  if (err instanceof StripeRefusal) {
    throw DomainError.conflict({
      it: 'Stripe ha rifiutato l’operazione.',
      en: 'Stripe refused the operation.',
    });
  }
  throw err;
}
