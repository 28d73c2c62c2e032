import { BigIntType, Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SHOP_CATEGORIES, type ShopCategory } from '../shared/categories.js';

export const PAYMENT_STATUSES = ['AUTHORISED', 'VOIDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** The IES part of a card payment (the card's fallback), as the POS knows it. */
export const IES_PART_STATUSES = ['HELD', 'CAPTURED', 'EXPIRED'] as const;
export type IesPartStatus = (typeof IES_PART_STATUSES)[number];

/**
 * A shop payment with a beneficiary card. Its id is the POS's idempotency key; the money moved is
 * in the book (`transferIds`, the card's campaign accounts to the shop's account).
 */
@Entity({ tableName: 'payment' })
export class Payment {
  [OptionalProps]?:
    | 'status'
    | 'createdAt'
    | 'voidedAt'
    | 'voidTransferIds'
    | 'residualCents'
    | 'iesCents'
    | 'iesTransferId'
    | 'iesStatus';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Property({ type: 'uuid' })
  cardId!: string;

  @Property({ type: 'uuid' })
  accreditationId!: string;

  @Property({ type: 'uuid' })
  cashierId!: string;

  @Property({ type: new BigIntType('number') })
  amountCents!: number;

  @Enum({ items: [...SHOP_CATEGORIES], type: 'text' })
  category!: ShopCategory;

  @Enum({ items: [...PAYMENT_STATUSES], type: 'text' })
  status: PaymentStatus = 'AUTHORISED';

  @Property({ type: 'jsonb' })
  transferIds!: string[];

  /**
   * The card's credit right after the payment (all campaigns), answered again to a replay of the
   * same request; null for payments made before it was recorded.
   */
  @Property({ type: new BigIntType('number'), nullable: true })
  residualCents: number | null = null;

  /** The part of `amountCents` paid with the holder's IES (the card's fallback; 0: none). */
  @Property({ type: new BigIntType('number') })
  iesCents = 0;

  /** ies-circuit's transfer (the hold) that moved the IES part to the shop's wallet. */
  @Property({ type: 'uuid', nullable: true })
  iesTransferId: string | null = null;

  /** The IES part's state: HELD (its capture under way or to recover), CAPTURED, EXPIRED. */
  @Property({ type: 'text', nullable: true })
  iesStatus: IesPartStatus | null = null;

  @Property({ type: 'jsonb', nullable: true })
  voidTransferIds: string[] | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  voidedAt: Date | null = null;
}
