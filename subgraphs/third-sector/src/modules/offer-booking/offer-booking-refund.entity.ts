import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A refund of a paid booking, as the payments subgraph reported it (`refunded` of the payable
 * contract), keyed by the payments' refund id: reported twice, it is recorded once.
 */
@Entity({ tableName: 'offer_booking_refund' })
export class OfferBookingRefund {
  [OptionalProps]?: 'createdAt';

  /** The payments subgraph's refund id. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  bookingId!: string;

  @Property({ type: 'uuid' })
  checkoutId!: string;

  @Property({ type: new BigIntType('number') })
  amountCents!: number;

  /** The booking was cancelled with this refund. */
  @Property({ type: 'boolean' })
  cancel!: boolean;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
