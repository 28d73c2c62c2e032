import { registerEnumType } from 'type-graphql';

export const BATCH_STATUSES = ['DRAFT', 'APPROVED', 'PAID', 'DISCARDED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** Where a payment is, for reimbursement. */
export const REIMBURSEMENT_STATES = [
  'VOIDED',
  'FLAGGED',
  'TO_BE_REIMBURSED',
  'IN_BATCH',
  'REIMBURSED',
] as const;
export type ReimbursementState = (typeof REIMBURSEMENT_STATES)[number];

export const ReimbursementBatchStatus = Object.fromEntries(BATCH_STATUSES.map((s) => [s, s])) as {
  [K in BatchStatus]: K;
};
registerEnumType(ReimbursementBatchStatus, {
  name: 'ReimbursementBatchStatus',
  description:
    'A reimbursement batch: DRAFT (created), APPROVED (by a MANAGER: the SEPA file can be downloaded), PAID (the bank paid it), DISCARDED (a DRAFT the Comune’s staff set aside with a reason: it pays nothing and its payments are free again for a flag and for a new batch).',
});

export const ReimbursementState = Object.fromEntries(REIMBURSEMENT_STATES.map((s) => [s, s])) as {
  [K in ReimbursementState]: K;
};
registerEnumType(ReimbursementState, {
  name: 'ReimbursementState',
  description:
    'Where a card payment is for reimbursement: VOIDED (nothing to pay), FLAGGED (misuse: excluded), TO_BE_REIMBURSED, IN_BATCH (in a DRAFT or APPROVED batch), REIMBURSED (its batch is PAID).',
});
