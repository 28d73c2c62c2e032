import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { RECONCILIATION_CHECKS } from './reconciliation.service.js';

export const ReconciliationCheck = Object.fromEntries(RECONCILIATION_CHECKS.map((c) => [c, c])) as {
  [K in (typeof RECONCILIATION_CHECKS)[number]]: K;
};
registerEnumType(ReconciliationCheck, {
  name: 'ReconciliationCheck',
  description:
    'A rule the money reconciliation checks above the book: FUND_FOLLOWS_BUDGET (the fund received exactly the budget), FUND_BALANCE (fund = budget − top-ups + sweeps), COMMITTED_WITHIN_BUDGET (approved entitlements fit the budget), CREDIT_WITHIN_ENTITLEMENT, CREDIT_EQUALS_TRANCHES, CREDIT_ONLY_APPROVED (per application), NO_CREDIT_ON_REPLACED_CARD, PAYMENT_LEGS (a payment’s movements add up, from its card to the same campaign’s shop), VOID_MATCHES_PAYMENT, CAMPAIGN_PAYMENTS_EQUAL_SHOP_CREDITS, SHOP_CREDITS_EQUAL_REIMBURSED_AND_DUE, REIMBURSEMENT_CAMPAIGN (a campaign’s shop money reimbursed by its own batches), BATCH_TOTALS.',
});

export const ReconciliationTrigger = { SCHEDULER: 'SCHEDULER', ON_DEMAND: 'ON_DEMAND' } as const;
registerEnumType(ReconciliationTrigger, {
  name: 'ReconciliationTrigger',
  description: 'Who ran a reconciliation: the scheduler, or a person on demand.',
});

@ObjectType('ReconciliationProblem', {
  description: 'One thing in the money that does not add up.',
})
export class ReconciliationProblemType {
  @Field(() => ReconciliationCheck, { description: 'The rule that failed.' })
  check!: string;

  @Field({
    description:
      'What it is about: `campaign:<id>`, `application:<id>`, `card:<id>`, `payment:<id>` or `batch:<id>`.',
  })
  subject!: string;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'The figure the rule expects, in cents.',
  })
  expectedCents!: number | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'The figure found, in cents.' })
  actualCents!: number | null;

  @Field({ description: 'The problem in Italian.' })
  messageIt!: string;

  @Field({ description: 'The problem in English.' })
  messageEn!: string;
}

@ObjectType('MoneyReconciliation', {
  description:
    'A run of the money reconciliation for one Comune: the checks above the book, on one snapshot. A run that is not ok is an alert.',
})
export class ReconciliationReportType {
  @Field(() => ID, { description: 'The run.' })
  id!: string;

  @Field(() => ID, { description: 'The Comune (identity Organisation of kind COMUNE).' })
  comuneId!: string;

  @Field({ description: 'When it ran.' })
  ranAt!: Date;

  @Field(() => ReconciliationTrigger, { description: 'Who ran it.' })
  trigger!: string;

  @Field({ description: 'True when every check passed.' })
  ok!: boolean;

  @Field(() => [ReconciliationProblemType], {
    description: 'What does not add up (the first 200; empty when ok).',
  })
  problems!: ReconciliationProblemType[];
}
