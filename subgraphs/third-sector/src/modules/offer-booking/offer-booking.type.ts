import { Field, ID, Int, ObjectType } from 'type-graphql';
import { OfferPriceKind, type OfferPriceKindValue } from '../offer/offer.enums.js';
import {
  BookingPaymentStatus,
  OfferBookingStatus,
  type BookingPaymentStatusValue,
  type OfferBookingStatusValue,
} from './offer-booking.enums.js';

/** Who attends a booking (typed by the booker). */
@ObjectType('BookingAttendee', {
  description:
    'The person who attends a booking when it is not the citizen who booked, as the booker typed them.',
})
export class BookingAttendeeType {
  @Field(() => String, { description: 'First name.' })
  givenName!: string;

  @Field(() => String, { description: 'Surname.' })
  familyName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Their codice fiscale, when given (checked; a non-resident may have none).',
  })
  fiscalCode!: string | null;

  @Field(() => String, { description: 'Birth date, yyyy-mm-dd.' })
  birthDate!: string;
}

/** A day an offer can be booked, with the places left. */
@ObjectType('OfferBookableDay', {
  description:
    'A day an offer can be booked (its schedule runs; not a national holiday, the Comune’s patron saint day, nor a closure of the provider), with the places left.',
})
export class OfferBookableDayType {
  @Field(() => String, { description: 'The day, yyyy-mm-dd (Europe/Rome).' })
  date!: string;

  @Field(() => Int, {
    description: 'Places left that day: the capacity minus the active bookings (0: full).',
  })
  placesLeft!: number;
}

/** A booking; `payee`, `cancellable`, `attendee` and `refundDue` are field resolvers in OfferBookingResolver. */
@ObjectType('OfferBooking', {
  description:
    'A citizen’s booking of a catalogue offer for one day, with what is owed and to whom. A priced booking is paid on the platform (through the payments service) by `payBy`, or it lapses (EXPIRED) and its place is freed; priced bookings made before platform payments are paid at the provider. Seen by the citizen who booked and by the provider’s ADMIN only.',
})
export class OfferBookingType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The offer booked.' })
  offerId!: string;

  @Field(() => String, { description: 'The offer’s title when it was booked.' })
  offerTitle!: string;

  @Field(() => ID, { description: 'The provider of the offer: the payee.' })
  providerId!: string;

  @Field(() => ID, { description: 'The Comune whose catalogue the offer is in.' })
  comuneId!: string;

  @Field(() => String, {
    description: 'The codice fiscale of the citizen who booked (from their SPID/CIE login).',
  })
  citizenFiscalCode!: string;

  @Field(() => String, { description: 'The day of the service (yyyy-mm-dd, Europe/Rome).' })
  serviceDate!: string;

  @Field(() => Int, {
    description:
      'How many units of the offer’s price: hours (PER_HOUR), sessions (PER_SESSION) or packages (PER_PACKAGE); 1 for a free offer.',
  })
  quantity!: number;

  @Field(() => OfferPriceKind, { description: 'How the offer was priced when booked.' })
  priceKind!: OfferPriceKindValue;

  @Field(() => Int, {
    nullable: true,
    description: 'The price of one unit in integer euro cents when booked (null for a free offer).',
  })
  unitPriceCents!: number | null;

  @Field(() => Int, {
    description:
      'What is owed to the provider, in integer euro cents: unit price × quantity, computed by the server (0 for a free offer).',
  })
  amountDueCents!: number;

  @Field(() => BookingPaymentStatus, {
    description:
      'Where the payment is: NOT_DUE (free), PAYMENT_DUE (by `payBy`), PAYMENT_IN_PROGRESS, PAID, PARTIALLY_REFUNDED, REFUNDED, UNPAID (lapsed, cancelled or declined before being paid), or TO_BE_PAID_AT_PROVIDER (booked before platform payments).',
  })
  paymentStatus!: BookingPaymentStatusValue;

  @Field(() => Date, {
    nullable: true,
    description:
      'Until when a booking paid on the platform can be paid ("da pagare entro"): the place is held until then and freed if it is not paid. Null for a free booking and for one paid at the provider.',
  })
  payBy!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was paid on the platform (PAID, PARTIALLY_REFUNDED, REFUNDED).',
  })
  paidAt!: Date | null;

  @Field(() => Int, {
    description:
      'What was refunded of the amount paid, in integer euro cents (0 unless PARTIALLY_REFUNDED or REFUNDED).',
  })
  refundedCents!: number;

  @Field(() => OfferBookingStatus, {
    description: 'REQUESTED, CONFIRMED, DECLINED, CANCELLED or EXPIRED (not paid in time).',
  })
  status!: OfferBookingStatusValue;

  @Field(() => String, { nullable: true, description: 'The citizen’s note to the provider.' })
  note!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the provider declined (DECLINED).' })
  declineReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the provider confirmed or declined.' })
  decidedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When it was cancelled (by the citizen, or by the provider: CANCELLED_BY_PROVIDER).',
  })
  cancelledAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the provider cancelled it (CANCELLED_BY_PROVIDER), shown to the citizen.',
  })
  cancelReason!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The phone the provider reaches the family on (digits, optional leading +).',
  })
  contactPhone!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The e-mail the provider reaches the family on.',
  })
  contactEmail!: string | null;

  @Field(() => Date, { description: 'When it was booked.' })
  createdAt!: Date;
}
