import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@welfare/kit/access';
import { DomainError, FieldErrors } from '@welfare/kit/errors';
import type Stripe from 'stripe';
import { cardPaymentsUnavailable, stripeFailure } from '../shared/access.js';
import type { ProviderAccountService } from '../provider-account/provider-account.service.js';
import { StripeRefusal, type StripeGateway } from '../stripe/stripe.gateway.js';
import type { CardPayment, CardPaymentStatus, CardRefund } from './card-payment.entity.js';
import type { CardPaymentKey, CardPaymentRepository } from './card-payment.repository.js';

/** The largest card payment, in cents (10,000 euro: a welfare service, never more). */
export const MAX_CARD_AMOUNT = 1_000_000;
/** How long a Checkout session stays open by default (Stripe's minimum is 30 minutes). */
export const DEFAULT_SESSION_MINUTES = 31;

/** A card leg to open (the checkout state machine's request). */
export interface OpenCardPayment {
  /** Chosen by the caller; the idempotency key at Stripe. The same id opens the same payment. */
  id: string;
  /** The provider paid. */
  organisationId: string;
  /** Cents. */
  amount: number;
  /** What is paid for, on Stripe's page. */
  description: string;
  /** When the session closes (default 31 minutes from now; 30 minutes to 24 hours). */
  expiresAt?: Date;
}

/** Where a status may come from, for each status an event or a retrieval can bring. */
const FROM: Record<
  'OPEN' | 'AUTHORIZED' | 'CAPTURED' | 'CANCELED' | 'EXPIRED',
  CardPaymentStatus[]
> = {
  OPEN: ['CREATING'],
  AUTHORIZED: ['CREATING', 'OPEN'],
  CAPTURED: ['CREATING', 'OPEN', 'AUTHORIZED'],
  CANCELED: ['CREATING', 'OPEN', 'AUTHORIZED'],
  EXPIRED: ['CREATING', 'OPEN'],
};

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

/**
 * Card payments on providers' connected accounts, through Stripe Checkout with manual capture.
 * Each is stored (CREATING) before Stripe is called, with our id as the idempotency key: a call
 * whose answer is lost is sent again with the same key and finds the same session. Its status
 * then follows Stripe's events and, when asked, Stripe's own state; it only moves forward.
 */
export class CardPaymentService {
  constructor(
    private readonly repository: CardPaymentRepository,
    private readonly accounts: ProviderAccountService,
    private readonly gateway: StripeGateway | undefined,
    private readonly settings: { platformFeeBps: number; portalUrl: string },
  ) {}

  private stripe(): StripeGateway {
    if (!this.gateway) throw cardPaymentsUnavailable();
    return this.gateway;
  }

  /** The platform's fee on an amount, in cents (rounded down). */
  feeOf(amount: number): number {
    return Math.floor((amount * this.settings.platformFeeBps) / 10_000);
  }

  get(em: EntityManager, id: string): Promise<CardPayment | null> {
    return this.repository.find(em, id);
  }

  /**
   * Opens a card payment: a Checkout session on the provider's account, authorised only. The
   * same id answers the same payment (and, while its creation is unknown, asks Stripe again with
   * the same key); the same id with other data is a CONFLICT. SERVICE_UNAVAILABLE when Stripe
   * does not answer: the payment stays CREATING until the same call is made again.
   */
  async open(em: EntityManager, request: OpenCardPayment): Promise<CardPayment> {
    const errors = new FieldErrors();
    if (!isUuid(request.id)) errors.add('id', 'Identificativo non valido.', 'Malformed id.');
    if (!isUuid(request.organisationId))
      errors.add('organisationId', 'Identificativo non valido.', 'Malformed id.');
    if (
      !Number.isSafeInteger(request.amount) ||
      request.amount < 50 ||
      request.amount > MAX_CARD_AMOUNT
    )
      errors.add(
        'amount',
        'L’importo con carta va da 50 centesimi a 10.000 euro.',
        'A card amount is between 50 cents and 10,000 euro.',
      );
    const description = request.description.trim();
    if (description.length < 3 || description.length > 200)
      errors.add(
        'description',
        'La descrizione ha da 3 a 200 caratteri.',
        'The description has 3 to 200 characters.',
      );
    const expiresAt = request.expiresAt ?? new Date(Date.now() + DEFAULT_SESSION_MINUTES * 60_000);
    const minutes = (expiresAt.getTime() - Date.now()) / 60_000;
    if (minutes < 30 || minutes > 24 * 60)
      errors.add(
        'expiresAt',
        'La scadenza è tra 30 minuti e 24 ore da adesso.',
        'The expiry is 30 minutes to 24 hours from now.',
      );
    errors.throwIfAny();
    const stripe = this.stripe();

    let payment = await this.repository.find(em, request.id);
    if (payment) {
      if (
        payment.organisationId !== request.organisationId ||
        payment.amount !== request.amount ||
        payment.description !== description
      )
        throw DomainError.conflict({
          it: 'Questo identificativo è già usato per un altro pagamento.',
          en: 'This id is already used for another payment.',
        });
      if (payment.status !== 'CREATING') return payment;
    } else {
      const account = await this.accounts.chargeableAccount(em, request.organisationId);
      if (!account)
        throw DomainError.conflict({
          it: 'Il fornitore non accetta ancora pagamenti con carta.',
          en: 'The provider does not accept card payments yet.',
        });
      // Stored, and committed, before Stripe is called: the key survives whatever happens next.
      await this.repository.insert(em, {
        id: request.id,
        organisationId: request.organisationId,
        stripeAccountId: account,
        amount: request.amount,
        applicationFee: this.feeOf(request.amount),
        currency: 'eur',
        description,
        status: 'CREATING',
        checkoutSessionId: null,
        paymentIntentId: null,
        chargeId: null,
        checkoutUrl: null,
        capturedAmount: 0,
        refundedAmount: 0,
        failureCode: null,
        expiresAt,
        capturedAt: null,
      });
      payment = (await this.repository.find(em, request.id))!;
    }
    return this.create(em, stripe, payment);
  }

  /** Asks Stripe for the session, with the payment's own key and stored data only. */
  private async create(
    em: EntityManager,
    stripe: StripeGateway,
    payment: CardPayment,
  ): Promise<CardPayment> {
    const page = (outcome: string) =>
      new URL(`/pagamento/carta/${payment.id}?esito=${outcome}`, this.settings.portalUrl).href;
    try {
      const session = await stripe.createCardCheckout({
        cardPaymentId: payment.id,
        accountId: payment.stripeAccountId,
        amount: payment.amount,
        applicationFee: payment.applicationFee,
        description: payment.description,
        successUrl: page('ok'),
        cancelUrl: page('annullato'),
        expiresAt: payment.expiresAt,
        metadata: { organisationId: payment.organisationId },
      });
      await this.repository.apply(
        em,
        { id: payment.id },
        {
          status: 'OPEN',
          from: FROM.OPEN,
          checkoutSessionId: session.sessionId,
          paymentIntentId: session.paymentIntentId,
          checkoutUrl: session.url,
        },
      );
    } catch (err) {
      if (err instanceof StripeRefusal && err.type !== 'StripeIdempotencyError') {
        await this.repository.apply(
          em,
          { id: payment.id },
          { status: 'FAILED', from: ['CREATING'], failureCode: err.code ?? err.type },
        );
      }
      return stripeFailure(err);
    }
    return (await this.repository.find(em, payment.id))!;
  }

  /** Captures an authorised card payment (a captured one is answered as it is). */
  async capture(em: EntityManager, id: string): Promise<CardPayment> {
    const payment = await this.require(em, id);
    if (payment.status === 'CAPTURED') return payment;
    if (payment.status !== 'AUTHORIZED' || !payment.paymentIntentId) throw this.notInState();
    const stripe = this.stripe();
    try {
      const intent = await stripe.capture(
        payment.stripeAccountId,
        payment.paymentIntentId,
        `${payment.id}-capture`,
      );
      await this.applyIntent(em, intent);
    } catch (err) {
      return stripeFailure(err);
    }
    return this.require(em, id);
  }

  /** Releases an authorised card payment (a canceled one is answered as it is). */
  async cancel(em: EntityManager, id: string): Promise<CardPayment> {
    const payment = await this.require(em, id);
    if (payment.status === 'CANCELED' || payment.status === 'EXPIRED') return payment;
    if (!['OPEN', 'AUTHORIZED'].includes(payment.status) || !payment.paymentIntentId)
      throw this.notInState();
    const stripe = this.stripe();
    try {
      const intent = await stripe.cancel(
        payment.stripeAccountId,
        payment.paymentIntentId,
        `${payment.id}-cancel`,
      );
      await this.applyIntent(em, intent);
    } catch (err) {
      return stripeFailure(err);
    }
    return this.require(em, id);
  }

  /**
   * Refunds part or all of a captured card payment. The refund is stored before Stripe is
   * called; its id is its idempotency key, so the same refund is made once whatever the retries.
   */
  async refund(
    em: EntityManager,
    request: { id: string; cardPaymentId: string; amount: number },
  ): Promise<CardRefund> {
    if (!isUuid(request.id))
      throw DomainError.badInput([
        { field: 'id', message: { it: 'Identificativo non valido.', en: 'Malformed id.' } },
      ]);
    let refund = await this.repository.findRefund(em, request.id);
    if (
      refund &&
      (refund.cardPaymentId !== request.cardPaymentId || refund.amount !== request.amount)
    )
      throw DomainError.conflict({
        it: 'Questo identificativo è già usato per un altro rimborso.',
        en: 'This id is already used for another refund.',
      });
    if (refund && refund.status !== 'REQUESTED') return refund;
    const payment = await this.require(em, request.cardPaymentId);
    if (!refund) {
      if (payment.status !== 'CAPTURED' || !payment.paymentIntentId) throw this.notInState();
      const left =
        payment.capturedAmount - (await this.repository.refundedOrPending(em, payment.id));
      if (!Number.isSafeInteger(request.amount) || request.amount <= 0 || request.amount > left)
        throw DomainError.badInput([
          {
            field: 'amount',
            message: {
              it: `Si possono rimborsare al più ${left} centesimi.`,
              en: `At most ${left} cents can be refunded.`,
            },
          },
        ]);
      await this.repository.insertRefund(em, {
        id: request.id,
        cardPaymentId: payment.id,
        amount: request.amount,
      });
    }
    const stripe = this.stripe();
    try {
      const made = await stripe.refund(
        payment.stripeAccountId,
        payment.paymentIntentId!,
        request.amount,
        request.id,
      );
      await this.repository.settleRefund(em, request.id, {
        status: made.status === 'failed' || made.status === 'canceled' ? 'FAILED' : 'SUCCEEDED',
        stripeRefundId: made.id,
      });
    } catch (err) {
      if (err instanceof StripeRefusal && err.type !== 'StripeIdempotencyError')
        await this.repository.settleRefund(em, request.id, { status: 'FAILED' });
      return stripeFailure(err);
    }
    refund = (await this.repository.findRefund(em, request.id))!;
    return refund;
  }

  /**
   * Brings a card payment to Stripe's state (a lost event, an unknown outcome): a CREATING one
   * is created again with the same key (Stripe answers the first session), others read their
   * payment intent.
   */
  async refresh(em: EntityManager, id: string): Promise<CardPayment> {
    const payment = await this.require(em, id);
    const stripe = this.stripe();
    if (payment.status === 'CREATING') return this.create(em, stripe, payment);
    if (!payment.paymentIntentId) return payment;
    try {
      await this.applyIntent(
        em,
        await stripe.retrievePaymentIntent(payment.stripeAccountId, payment.paymentIntentId),
      );
    } catch (err) {
      return stripeFailure(err);
    }
    return this.require(em, id);
  }

  /** A payment intent's state, applied (its status only moves forward). */
  async applyIntent(em: EntityManager, intent: Stripe.PaymentIntent): Promise<number> {
    const key: CardPaymentKey = {
      id: this.cardPaymentIdOf(intent.metadata),
      paymentIntentId: intent.id,
    };
    const ids = { paymentIntentId: intent.id, chargeId: idOf(intent.latest_charge) };
    switch (intent.status) {
      case 'requires_capture':
        return this.repository.apply(em, key, {
          ...ids,
          status: 'AUTHORIZED',
          from: FROM.AUTHORIZED,
        });
      case 'succeeded':
        return this.repository.apply(em, key, {
          ...ids,
          status: 'CAPTURED',
          from: FROM.CAPTURED,
          capturedAmount: intent.amount_received,
        });
      case 'canceled':
        return this.repository.apply(em, key, { ...ids, status: 'CANCELED', from: FROM.CANCELED });
      default:
        return this.repository.apply(em, key, {
          ...ids,
          failureCode: intent.last_payment_error?.code ?? null,
        });
    }
  }

  /** A Checkout session's state: completed (the card is held) or expired. */
  applySession(em: EntityManager, session: Stripe.Checkout.Session): Promise<number> {
    const key: CardPaymentKey = {
      id: this.cardPaymentIdOf(session.metadata) ?? session.client_reference_id ?? undefined,
      checkoutSessionId: session.id,
    };
    const ids = { checkoutSessionId: session.id, paymentIntentId: idOf(session.payment_intent) };
    if (session.status === 'complete')
      return this.repository.apply(em, key, {
        ...ids,
        status: session.payment_status === 'paid' ? 'CAPTURED' : 'AUTHORIZED',
        from: session.payment_status === 'paid' ? FROM.CAPTURED : FROM.AUTHORIZED,
        ...(session.payment_status === 'paid' ? { capturedAmount: session.amount_total ?? 0 } : {}),
      });
    if (session.status === 'expired')
      return this.repository.apply(em, key, { ...ids, status: 'EXPIRED', from: FROM.EXPIRED });
    return this.repository.apply(em, key, ids);
  }

  /** A charge's refunded total (`charge.refunded`). */
  async applyCharge(em: EntityManager, charge: Stripe.Charge): Promise<void> {
    await this.repository.setRefunded(
      em,
      {
        id: this.cardPaymentIdOf(charge.metadata),
        paymentIntentId: idOf(charge.payment_intent),
        chargeId: charge.id,
      },
      charge.amount_refunded,
    );
  }

  private cardPaymentIdOf(metadata: Stripe.Metadata | null | undefined): string | undefined {
    const id = metadata?.cardPaymentId;
    return id && isUuid(id) ? id : undefined;
  }

  private async require(em: EntityManager, id: string): Promise<CardPayment> {
    if (!isUuid(id)) throw DomainError.notFound();
    const payment = await this.repository.find(em, id);
    if (!payment) throw DomainError.notFound();
    return payment;
  }

  private notInState(): DomainError {
    return DomainError.conflict({
      it: 'Il pagamento con carta non è nello stato richiesto.',
      en: 'The card payment is not in the required state.',
    });
  }
}
