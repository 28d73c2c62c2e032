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

/** What a provider's line in a batch pays. */
export const PAYEE_KINDS = ['PROVIDER_SERVICES', 'TUTORING'] as const;
export type PayeeKind = (typeof PAYEE_KINDS)[number];

export const ReimbursementPayeeKind = Object.fromEntries(PAYEE_KINDS.map((s) => [s, s])) as {
  [K in PayeeKind]: K;
};
registerEnumType(ReimbursementPayeeKind, {
  name: 'ReimbursementPayeeKind',
  description:
    'What a provider’s line in a reimbursement batch pays: PROVIDER_SERVICES (catalogue services paid with the campaign’s voucher credit: the balance of the provider’s account for the campaign) or TUTORING (a tutoring programme’s delivered hours at its hourly tariff, from the attendance register).',
});

/** Why a batch held back a provider's amount or hours. */
export const HELD_BACK_REASONS = ['NO_IBAN', 'NO_TARIFF', 'UNKNOWN_PROVIDER'] as const;
export type HeldBackReason = (typeof HELD_BACK_REASONS)[number];

export const ReimbursementHeldBackReason = Object.fromEntries(
  HELD_BACK_REASONS.map((s) => [s, s]),
) as { [K in HeldBackReason]: K };
registerEnumType(ReimbursementHeldBackReason, {
  name: 'ReimbursementHeldBackReason',
  description:
    'Why a batch could not pay a provider: NO_IBAN (its organisation has no IBAN), NO_TARIFF (the tutoring programme has no hourly tariff), UNKNOWN_PROVIDER (identity does not know the organisation). The money or the hours wait for a later batch.',
});
