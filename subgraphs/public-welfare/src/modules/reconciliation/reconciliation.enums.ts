import { registerEnumType } from 'type-graphql';

/** The checks the reconciliation runs above the book (each problem names one). */
export const RECONCILIATION_CHECKS = [
  'FUND_FOLLOWS_BUDGET',
  'FUND_BALANCE',
  'COMMITTED_WITHIN_BUDGET',
  'CREDIT_WITHIN_ENTITLEMENT',
  'CREDIT_EQUALS_TRANCHES',
  'CREDIT_ONLY_APPROVED',
  'NO_CREDIT_ON_REPLACED_CARD',
  'PAYMENT_LEGS',
  'VOID_MATCHES_PAYMENT',
  'CAMPAIGN_PAYMENTS_EQUAL_SHOP_CREDITS',
  'SHOP_CREDITS_EQUAL_REIMBURSED_AND_DUE',
  'REIMBURSEMENT_CAMPAIGN',
  'BATCH_TOTALS',
  'CAMPAIGN_SERVICES_EQUAL_PROVIDER_CREDITS',
] as const;
export type ReconciliationCheck = (typeof RECONCILIATION_CHECKS)[number];

export const ReconciliationCheck = Object.fromEntries(RECONCILIATION_CHECKS.map((c) => [c, c])) as {
  [K in ReconciliationCheck]: K;
};
registerEnumType(ReconciliationCheck, {
  name: 'ReconciliationCheck',
  description:
    'A rule the money reconciliation checks above the book: FUND_FOLLOWS_BUDGET (the fund received exactly the budget), FUND_BALANCE (fund = budget − top-ups + sweeps, a revocation’s return being a sweep), COMMITTED_WITHIN_BUDGET (approved entitlements, and what revoked ones spent, fit the budget), CREDIT_WITHIN_ENTITLEMENT, CREDIT_EQUALS_TRANCHES, CREDIT_ONLY_APPROVED (per application; a REVOKED one keeps what it received), NO_CREDIT_ON_REPLACED_CARD, PAYMENT_LEGS (a payment’s movements add up, from its card to the same campaign’s shop), VOID_MATCHES_PAYMENT, CAMPAIGN_PAYMENTS_EQUAL_SHOP_CREDITS, SHOP_CREDITS_EQUAL_REIMBURSED_AND_DUE, REIMBURSEMENT_CAMPAIGN (a campaign’s shop money reimbursed by its own batches), BATCH_TOTALS, CAMPAIGN_SERVICES_EQUAL_PROVIDER_CREDITS (what the campaign’s cards paid for catalogue services, less refunds, is what the campaign’s provider accounts hold).',
});

export type ReconciliationTrigger = 'SCHEDULER' | 'ON_DEMAND';
export const ReconciliationTrigger = { SCHEDULER: 'SCHEDULER', ON_DEMAND: 'ON_DEMAND' } as const;
registerEnumType(ReconciliationTrigger, {
  name: 'ReconciliationTrigger',
  description: 'Who ran a reconciliation: the scheduler, or a person on demand.',
});
