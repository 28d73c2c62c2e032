// A card's statuses and block reasons, their labels and its number as printed. Shared by the
// citizen's "La mia carta" and the Comune's card pages. Pure: unit-tested in card-labels.spec.ts.
import { CARD_STATUSES, type CardBlockReason, type CardStatus, isOneOf } from './api-enums';
import { enumLabelOf } from './enum-labels';

/** Reasons staff may give (PIN_LOCKED is set by the system only). */
export const STAFF_BLOCK_REASONS = [
  'LOST',
  'STOLEN',
  'DAMAGED',
  'SUSPECTED_MISUSE',
  'HOLDER_REQUEST',
  'OTHER',
] as const satisfies readonly CardBlockReason[];
export type StaffBlockReason = (typeof STAFF_BLOCK_REASONS)[number];

export const isCardStatus = (value: string): value is CardStatus => isOneOf(CARD_STATUSES, value);

export const isStaffBlockReason = (value: string): value is StaffBlockReason =>
  isOneOf(STAFF_BLOCK_REASONS, value);

/** Bootstrap tone of a status badge. */
export const cardStatusTone = (status: string): string =>
  status === 'ACTIVE' ? 'success' : status === 'BLOCKED' ? 'danger' : 'secondary';

/** 16 digits in groups of four, as on the letter. */
export const cardNumber = (number: string): string => number.replace(/(\d{4})(?=\d)/g, '$1 ');

/** A card's status (`CardStatus`); an unknown one shows as sent. */
export const cardStatusLabel = (status: string): string =>
  enumLabelOf('CardStatus', status) ?? status;

/** Why a card is blocked (`CardBlockReason`); an unknown one shows as sent. */
export const blockReasonLabel = (reason: string): string =>
  enumLabelOf('CardBlockReason', reason) ?? reason;
