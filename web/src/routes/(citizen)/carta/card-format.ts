// A card's statuses, the block reasons staff may give, and its number as printed. Pure (no
// SvelteKit imports): unit-tested with the Comune's card pages.

export const CARD_STATUSES = ['ACTIVE', 'BLOCKED', 'REPLACED'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/** Reasons staff may give (PIN_LOCKED is set by the system only). */
export const STAFF_BLOCK_REASONS = [
  'LOST',
  'STOLEN',
  'DAMAGED',
  'SUSPECTED_MISUSE',
  'HOLDER_REQUEST',
  'OTHER',
] as const;
export type StaffBlockReason = (typeof STAFF_BLOCK_REASONS)[number];

/** Bootstrap tone of a status badge. */
export const cardStatusTone = (status: string): string =>
  status === 'ACTIVE' ? 'success' : status === 'BLOCKED' ? 'danger' : 'secondary';

/** 16 digits in groups of four, as on the letter. */
export const cardNumber = (number: string): string => number.replace(/(\d{4})(?=\d)/g, '$1 ');

export const isCardStatus = (value: string): value is CardStatus =>
  (CARD_STATUSES as readonly string[]).includes(value);

export const isStaffBlockReason = (value: string): value is StaffBlockReason =>
  (STAFF_BLOCK_REASONS as readonly string[]).includes(value);
