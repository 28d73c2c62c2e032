import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MISMATCH_KINDS } from './reconciliation.entity.js';
import { enumObject } from '@welfare/kit/vocabulary';

export const ReconciliationMismatchKind = enumObject(MISMATCH_KINDS);
registerEnumType(ReconciliationMismatchKind, {
  name: 'ReconciliationMismatchKind',
  description: 'What differs between Stripe and the payments subgraph.',
  valuesConfig: {
    MISSING_HERE: {
      description:
        'Stripe has a charge or refund transaction that no card payment or refund of ours matches.',
    },
    MISSING_AT_STRIPE: {
      description:
        'A captured card payment or a succeeded refund of ours has no balance transaction at Stripe.',
    },
    AMOUNT_DIFFERS: { description: 'Both sides have it, with different amounts.' },
  },
});

@ObjectType('ReconciliationMismatch', {
  description: 'One difference a reconciliation found between Stripe and our records.',
})
export class ReconciliationMismatchType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ReconciliationMismatchKind, { description: 'What differs.' })
  kind!: string;

  @Field(() => String, { description: 'The connected account (`acct_…`) it was found in.' })
  stripeAccountId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Stripe’s balance transaction (`txn_…`), when Stripe has one.',
  })
  balanceTransactionId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The charge (`ch_…`) or refund (`re_…`) concerned, when known.',
  })
  sourceId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Our card payment, when we have one.' })
  cardPaymentId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Our refund, when we have one.' })
  cardRefundId!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The amount at Stripe, in cents (a refund as a positive amount).',
  })
  stripeAmount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Our amount, in cents.' })
  ourAmount!: number | null;
}

@ObjectType('ReconciliationReport', {
  description:
    'One reconciliation of Stripe’s balance transactions with our card payments and refunds (nightly). Platform admins only.',
})
export class ReconciliationReportType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => Date, { description: 'When it started.' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it finished.' })
  finishedAt!: Date | null;

  @Field(() => Date, { description: 'The oldest moment compared.' })
  windowStart!: Date;

  @Field(() => Int, { description: 'Stripe’s balance transactions read.' })
  balanceTransactions!: number;

  @Field(() => Int, { description: 'Our captured card payments compared.' })
  cardPayments!: number;

  @Field(() => Int, { description: 'How many mismatches it found (0: all agree).' })
  mismatchCount!: number;

  @Field(() => [ReconciliationMismatchType], { description: 'Every mismatch it found.' })
  mismatches!: ReconciliationMismatchType[];
}
