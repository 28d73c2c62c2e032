import { registerEnumType } from 'type-graphql';

/** Statuses of a beneficiary card. */
export const CARD_STATUSES = ['ACTIVE', 'BLOCKED', 'REPLACED'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];
export const CardStatus = Object.fromEntries(CARD_STATUSES.map((s) => [s, s])) as {
  [K in CardStatus]: K;
};

/** Why a card is BLOCKED. PIN_LOCKED is set by the system only (5 wrong PINs). */
export const CARD_BLOCK_REASONS = [
  'PIN_LOCKED',
  'LOST',
  'STOLEN',
  'DAMAGED',
  'SUSPECTED_MISUSE',
  'HOLDER_REQUEST',
  'OTHER',
] as const;
export type CardBlockReason = (typeof CARD_BLOCK_REASONS)[number];
export const CardBlockReason = Object.fromEntries(CARD_BLOCK_REASONS.map((s) => [s, s])) as {
  [K in CardBlockReason]: K;
};

registerEnumType(CardStatus, {
  name: 'CardStatus',
  description: 'Where a beneficiary card is.',
  valuesConfig: {
    ACTIVE: { description: 'Usable at accredited shops (QR code or codice fiscale + PIN).' },
    BLOCKED: { description: 'Not usable until the Comune unblocks it; `blockReason` says why.' },
    REPLACED: {
      description: 'Replaced by a new card (new number, PIN and QR code); dead for good.',
    },
  },
});

registerEnumType(CardBlockReason, {
  name: 'CardBlockReason',
  description: 'Why a card is blocked.',
  valuesConfig: {
    PIN_LOCKED: { description: 'Five wrong PINs in a row (set by the system, never by staff).' },
    LOST: { description: 'The holder lost the card.' },
    STOLEN: { description: 'The card was stolen.' },
    DAMAGED: { description: 'The card is damaged or unreadable.' },
    SUSPECTED_MISUSE: { description: 'The Comune suspects misuse.' },
    HOLDER_REQUEST: { description: 'The holder asked to block it.' },
    OTHER: { description: 'Another reason.' },
  },
});
