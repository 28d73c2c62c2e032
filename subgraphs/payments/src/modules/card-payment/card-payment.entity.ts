import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Where a card payment stands. CREATING: stored, Stripe not answered yet (or the answer was lost:
 * retried with the same idempotency key); OPEN: a Checkout session awaits the card; AUTHORIZED:
 * the card is held (manual capture); CAPTURED; CANCELED (the hold released); EXPIRED (the session
 * ran out unpaid); FAILED (Stripe refused to create it).
 */
export const CARD_PAYMENT_STATUSES = [
  'CREATING',
  'OPEN',
  'AUTHORIZED',
  'CAPTURED',
  'CANCELED',
  'EXPIRED',
  'FAILED',
] as const;
export type CardPaymentStatus = (typeof CARD_PAYMENT_STATUSES)[number];

/**
 * The card leg of a checkout: an amount in cents paid by card on a provider's connected account
 * (a direct charge through Stripe Checkout, captured manually). Our id is Stripe's idempotency
 * key, stored before any call to Stripe.
 */
@Entity({ tableName: 'card_payment' })
export class CardPayment {
  [OptionalProps]?:
    | 'applicationFee'
    | 'currency'
    | 'checkoutSessionId'
    | 'paymentIntentId'
    | 'chargeId'
    | 'checkoutUrl'
    | 'capturedAmount'
    | 'refundedAmount'
    | 'failureCode'
    | 'capturedAt'
    | 'createdAt'
    | 'updatedAt';

  /** Our id, chosen by the caller: also the idempotency key of the session's creation. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** The provider paid (identity Organisation id). */
  @Property({ type: 'uuid' })
  organisationId!: string;

  /** The provider's connected account at the time (`acct_…`). */
  @Property({ type: 'text' })
  stripeAccountId!: string;

  /** Cents. */
  @Property({ type: new BigIntType('number') })
  amount!: number;

  /** The platform's fee in cents (0 by default: then none is sent to Stripe). */
  @Property({ type: new BigIntType('number') })
  applicationFee: number = 0;

  @Property({ type: 'text' })
  currency: string = 'eur';

  /** What is paid for (shown on Stripe's page). */
  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'text' })
  status!: CardPaymentStatus;

  @Property({ type: 'text', nullable: true })
  checkoutSessionId: string | null = null;

  @Property({ type: 'text', nullable: true })
  paymentIntentId: string | null = null;

  /** The charge once the card was accepted (balance transactions name it as their source). */
  @Property({ type: 'text', nullable: true })
  chargeId: string | null = null;

  /** Stripe's hosted page where the payer enters the card. */
  @Property({ type: 'text', nullable: true })
  checkoutUrl: string | null = null;

  @Property({ type: new BigIntType('number') })
  capturedAmount: number = 0;

  @Property({ type: new BigIntType('number') })
  refundedAmount: number = 0;

  /** The last refusal of the card (Stripe's code, e.g. `card_declined`). */
  @Property({ type: 'text', nullable: true })
  failureCode: string | null = null;

  /** When the Checkout session stops accepting the card. */
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  capturedAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** A refund of a captured card payment; our id is its idempotency key at Stripe. */
@Entity({ tableName: 'card_refund' })
export class CardRefund {
  [OptionalProps]?: 'stripeRefundId' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  cardPaymentId!: string;

  /** Cents. */
  @Property({ type: new BigIntType('number') })
  amount!: number;

  @Property({ type: 'text' })
  status!: 'REQUESTED' | 'SUCCEEDED' | 'FAILED';

  @Property({ type: 'text', nullable: true })
  stripeRefundId: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
