import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { OFFER_PRICE_KINDS, type OfferPriceKindValue } from '../offer/offer.enums.js';
import {
  BOOKING_PAYMENT_STATUSES,
  OFFER_BOOKING_STATUSES,
  type BookingPaymentStatusValue,
  type OfferBookingStatusValue,
} from './offer-booking.enums.js';

/**
 * A citizen's booking of a catalogue offer for one day. What is owed is computed at booking from
 * the offer's price (kept here as it was) and the quantity; the payee is the provider. A priced
 * booking is paid on the platform through the payable contract (see OfferBookingPayableService).
 * The database checks the amount, the statuses, the payment columns and the offer's capacity per
 * day (see the migrations).
 */
@Entity({ tableName: 'offer_booking' })
export class OfferBooking {
  [OptionalProps]?:
    | 'status'
    | 'note'
    | 'declineReason'
    | 'decidedBy'
    | 'decidedAt'
    | 'cancelledAt'
    | 'payBy'
    | 'checkoutId'
    | 'checkoutUntil'
    | 'paidAt'
    | 'refundedCents'
    | 'attendeeGivenName'
    | 'attendeeFamilyName'
    | 'attendeeFiscalCode'
    | 'attendeeBirthDate'
    | 'contactPhone'
    | 'contactEmail'
    | 'cancelReason'
    | 'cancelledBy'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  offerId!: string;

  /** The provider of the offer: the payee. */
  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'uuid' })
  comuneId!: string;

  /** The offer's title when booked. */
  @Property({ type: 'text' })
  offerTitle!: string;

  @Property({ type: 'uuid' })
  citizenPersonId!: string;

  @Property({ type: 'text' })
  citizenFiscalCode!: string;

  /** The day of the service (yyyy-mm-dd, Europe/Rome). */
  @Property({ type: 'date' })
  serviceDate!: string;

  @Property({ type: 'int' })
  quantity!: number;

  @Enum({ items: [...OFFER_PRICE_KINDS], type: 'text' })
  priceKind!: OfferPriceKindValue;

  @Property({ type: 'int', nullable: true })
  unitPriceCents!: number | null;

  @Property({ type: new BigIntType('number') })
  amountDueCents!: number;

  @Enum({ items: [...BOOKING_PAYMENT_STATUSES], type: 'text' })
  paymentStatus!: BookingPaymentStatusValue;

  /** Until when a booking paid on the platform can be paid; its place is freed after. */
  @Property({ type: 'timestamptz', nullable: true })
  payBy: Date | null = null;

  /** The checkout (payments subgraph) paying it (PAYMENT_IN_PROGRESS) or that paid it. */
  @Property({ type: 'uuid', nullable: true })
  checkoutId: string | null = null;

  /** Until when that checkout holds it (PAYMENT_IN_PROGRESS); another may begin after. */
  @Property({ type: 'timestamptz', nullable: true })
  checkoutUntil: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  paidAt: Date | null = null;

  /** The sum of the refunds of a paid booking (see OfferBookingRefund). */
  @Property({ type: new BigIntType('number') })
  refundedCents: number = 0;

  @Enum({ items: [...OFFER_BOOKING_STATUSES], type: 'text' })
  status: OfferBookingStatusValue = 'REQUESTED';

  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @Property({ type: 'text', nullable: true })
  declineReason: string | null = null;

  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'uuid', nullable: true })
  decidedBy: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null = null;

  /**
   * Who attends, when not the citizen who booked (a child, a relative, a non-resident): given and
   * family name, and the codice fiscale and birth date when given (kept only for the provider's
   * register; null when the booker attends).
   */
  @Property({ type: 'text', nullable: true })
  attendeeGivenName: string | null = null;

  @Property({ type: 'text', nullable: true })
  attendeeFamilyName: string | null = null;

  @Property({ type: 'text', nullable: true })
  attendeeFiscalCode: string | null = null;

  @Property({ type: 'date', nullable: true })
  attendeeBirthDate: string | null = null;

  /** How the provider reaches the family: a phone (digits, optional +) and/or an e-mail. */
  @Property({ type: 'text', nullable: true })
  contactPhone: string | null = null;

  @Property({ type: 'text', nullable: true })
  contactEmail: string | null = null;

  /** Why the provider cancelled (CANCELLED_BY_PROVIDER). */
  @Property({ type: 'text', nullable: true })
  cancelReason: string | null = null;

  /** The provider's ADMIN who cancelled (CANCELLED_BY_PROVIDER). */
  @Property({ type: 'uuid', nullable: true })
  cancelledBy: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
