import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** What a mismatch is: Stripe has what we do not, we have what Stripe does not, amounts differ. */
export const MISMATCH_KINDS = ['MISSING_HERE', 'MISSING_AT_STRIPE', 'AMOUNT_DIFFERS'] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

/** One comparison of Stripe's balance transactions with our card payments and refunds. */
@Entity({ tableName: 'reconciliation_run' })
export class ReconciliationRun {
  [OptionalProps]?:
    'startedAt' | 'finishedAt' | 'balanceTransactions' | 'cardPayments' | 'mismatches';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  startedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  /** The oldest moment compared. */
  @Property({ type: 'timestamptz' })
  windowStart!: Date;

  @Property({ type: 'integer' })
  balanceTransactions: number = 0;

  @Property({ type: 'integer' })
  cardPayments: number = 0;

  @Property({ type: 'integer' })
  mismatches: number = 0;
}

/** One difference a run found. */
@Entity({ tableName: 'reconciliation_mismatch' })
export class ReconciliationMismatch {
  [OptionalProps]?:
    | 'balanceTransactionId'
    | 'sourceId'
    | 'cardPaymentId'
    | 'cardRefundId'
    | 'stripeAmount'
    | 'ourAmount';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  runId!: string;

  @Property({ type: 'text' })
  kind!: MismatchKind;

  @Property({ type: 'text' })
  stripeAccountId!: string;

  @Property({ type: 'text', nullable: true })
  balanceTransactionId: string | null = null;

  /** The charge or refund the balance transaction names (or ours, when Stripe has none). */
  @Property({ type: 'text', nullable: true })
  sourceId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  cardPaymentId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  cardRefundId: string | null = null;

  /** Cents, as Stripe has it (a refund positive). */
  @Property({ type: new BigIntType('number'), nullable: true })
  stripeAmount: number | null = null;

  /** Cents, as we have it. */
  @Property({ type: new BigIntType('number'), nullable: true })
  ourAmount: number | null = null;
}
