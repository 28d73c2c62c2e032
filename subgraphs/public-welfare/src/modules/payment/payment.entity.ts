import { BigIntType, Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SHOP_CATEGORIES, type ShopCategory } from '../shared/categories.js';

export const PAYMENT_STATUSES = ['AUTHORISED', 'VOIDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * A shop payment with a beneficiary card. Its id is the POS's idempotency key; the money moved is
 * in the book (`transferIds`, the card's campaign accounts to the shop's account).
 */
@Entity({ tableName: 'payment' })
export class Payment {
  [OptionalProps]?: 'status' | 'createdAt' | 'voidedAt' | 'voidTransferIds' | 'residualCents';

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

  @Property({ type: 'jsonb', nullable: true })
  voidTransferIds: string[] | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  voidedAt: Date | null = null;
}
