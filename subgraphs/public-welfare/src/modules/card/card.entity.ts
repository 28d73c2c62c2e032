import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import {
  CARD_BLOCK_REASONS,
  CARD_STATUSES,
  type CardBlockReason,
  type CardStatus,
} from './card.enums.js';

/**
 * A beneficiary card of a Comune: one live (not REPLACED) card per holder and Comune (a partial
 * unique index), serving every campaign of that Comune. The holder is found by codice fiscale
 * (keyed hash and ciphertext, the same key and purpose as applications and the registry). The PIN
 * is kept only as a keyed HMAC (see `pinHash`); the QR code carries `WC1.<id>.<qrNonce>.<signature>` (see
 * `card-qr.ts`). The card's id is the key its credit will hang off (its account in the book).
 */
@Entity({ tableName: 'card' })
export class Card {
  [OptionalProps]?:
    | 'status'
    | 'pinFailures'
    | 'blockReason'
    | 'blockedAt'
    | 'replacedBy'
    | 'applicationId'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  comuneId!: string;

  /** 16 digits, the last a Luhn check digit; random and unique. */
  @Property({ type: 'text', unique: 'card_number_unique' })
  number!: string;

  /** The holder's codice fiscale: keyed hash (lookups) and ciphertext. */
  @Index({ name: 'card_holder_index' })
  @Property({ type: 'text' })
  holderFiscalCodeHash!: string;

  @Property({ type: 'text' })
  holderFiscalCodeCipher!: string;

  @Enum({ items: [...CARD_STATUSES], type: 'text' })
  status: CardStatus = 'ACTIVE';

  /** Why it is BLOCKED (null otherwise). */
  @Enum({ items: [...CARD_BLOCK_REASONS], type: 'text', nullable: true })
  blockReason: CardBlockReason | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  blockedAt: Date | null = null;

  /**
   * The 6-digit PIN as `hmac-sha256$<key id>$<base64>`: HMAC-SHA-256 under PIN_KEY of the card's
   * id and the PIN (`card-pin.ts`); the key id names the key, so keys can rotate. Cards issued
   * before may still hold an Argon2id hash (`$argon2id$…`), rewritten as HMAC at the next right
   * entry. The PIN itself is never stored.
   */
  @Property({ type: 'text', lazy: true })
  pinHash!: string;

  /** Wrong PINs since the last right one; the fifth locks the card (BLOCKED, PIN_LOCKED). */
  @Property({ type: 'int' })
  pinFailures: number = 0;

  /** 128 random bits (base64url) signed into the QR payload; a replacement gets a new card. */
  @Property({ type: 'text' })
  qrNonce!: string;

  /** The card that replaced this one (set with status REPLACED). */
  @Property({ type: 'uuid', nullable: true })
  replacedBy: string | null = null;

  /** The approved application the card was first issued for (kept by replacements). */
  @Property({ type: 'uuid', nullable: true })
  applicationId: string | null = null;

  /** The staff member who issued it. */
  @Property({ type: 'uuid' })
  issuedBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
