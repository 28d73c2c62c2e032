import { DomainError } from '@welfare/kit/errors';
import { OutcomeUnknown } from '@welfare/kit/service';
import type { CardPaymentService } from '../card-payment/card-payment.service.js';
import type { ProviderAccountService } from '../provider-account/provider-account.service.js';
import type { CardPort, CardState } from './ports.js';

/**
 * Stripe's answer was lost (SERVICE_UNAVAILABLE from the card payments): for the checkout, an
 * unknown outcome, retried with the same key; any other domain error is a refusal.
 */
async function known<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'SERVICE_UNAVAILABLE') {
      throw new OutcomeUnknown('stripe', operation, err);
    }
    throw err;
  }
}

/** The card leg as this subgraph's card payments (Stripe Checkout, manual capture). */
export function stripeCard(cards: CardPaymentService, accounts: ProviderAccountService): CardPort {
  return {
    open: (em, input) =>
      known('open', async () => {
        const payment = await cards.open(em, {
          id: input.legId,
          organisationId: input.payeeOrganisationId,
          amount: input.amountCents,
          description: input.description,
          expiresAt: input.expiresAt,
        });
        if (!payment.checkoutUrl) throw new OutcomeUnknown('stripe', 'open');
        return { url: payment.checkoutUrl };
      }),
    available: async (em, organisationId) =>
      (await accounts.chargeableAccount(em, organisationId)) !== undefined,
    state: (em, legId) =>
      known('state', async (): Promise<CardState> => {
        const stored = await cards.get(em, legId);
        if (!stored) return 'FAILED';
        const payment = ['CREATING', 'OPEN'].includes(stored.status)
          ? await cards.refresh(em, legId)
          : stored;
        switch (payment.status) {
          case 'AUTHORIZED':
            return 'AUTHORISED';
          case 'CAPTURED':
            return 'CAPTURED';
          case 'CANCELED':
          case 'EXPIRED':
          case 'FAILED':
            return 'FAILED';
          default:
            return 'PENDING';
        }
      }),
    capture: (em, legId) => known('capture', async () => void (await cards.capture(em, legId))),
    cancel: (em, legId) =>
      known('cancel', async () => {
        let payment = await cards.get(em, legId);
        if (payment?.status === 'CREATING') payment = await cards.refresh(em, legId);
        if (payment && ['OPEN', 'AUTHORIZED'].includes(payment.status)) {
          await cards.cancel(em, legId);
        }
      }),
    refund: (em, legId, refundId, amountCents) =>
      known(
        'refund',
        async () =>
          void (await cards.refund(em, {
            id: refundId,
            cardPaymentId: legId,
            amount: amountCents,
          })),
      ),
  };
}
