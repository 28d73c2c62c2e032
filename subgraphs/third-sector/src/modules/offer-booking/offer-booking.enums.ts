import { registerEnumType } from 'type-graphql';

/**
 * A booking's life: REQUESTED → CONFIRMED or DECLINED (provider); REQUESTED/CONFIRMED → CANCELLED
 * (citizen, or a refund with cancellation); CONFIRMED → CANCELLED_BY_PROVIDER (the provider's ADMIN,
 * with a reason); REQUESTED/CONFIRMED → EXPIRED (a priced booking not paid by its time to pay).
 */
export const OFFER_BOOKING_STATUSES = [
  'REQUESTED',
  'CONFIRMED',
  'DECLINED',
  'CANCELLED',
  'CANCELLED_BY_PROVIDER',
  'EXPIRED',
] as const;
export type OfferBookingStatusValue = (typeof OFFER_BOOKING_STATUSES)[number];
export const OfferBookingStatus = Object.fromEntries(OFFER_BOOKING_STATUSES.map((s) => [s, s])) as {
  [K in OfferBookingStatusValue]: K;
};
registerEnumType(OfferBookingStatus, {
  name: 'OfferBookingStatus',
  description: 'Where a booking of an offer is.',
  valuesConfig: {
    REQUESTED: { description: 'Asked by the citizen; the provider has not answered yet.' },
    CONFIRMED: { description: 'Confirmed by the provider.' },
    DECLINED: { description: 'Declined by the provider, with a reason.' },
    CANCELLED: {
      description:
        'Cancelled by the citizen before the day of the service, or with a refund through the payments service.',
    },
    CANCELLED_BY_PROVIDER: {
      description:
        'Cancelled by the provider after confirming it, with a reason (`cancelReason`): the place was freed; a paid booking is refunded in full through the payments service (`refundDue` until then).',
    },
    EXPIRED: {
      description: 'Not paid by its time to pay (`payBy`): the place was freed.',
    },
  },
});

/** The bookings that hold a place (count against the offer's capacity). */
export const ACTIVE_BOOKING_STATUSES: readonly OfferBookingStatusValue[] = [
  'REQUESTED',
  'CONFIRMED',
];

/**
 * What is owed for a booking. A free booking is NOT_DUE. A priced booking made since payments
 * came to the platform is paid through the payments subgraph (the payable contract): PAYMENT_DUE
 * until `payBy`, PAYMENT_IN_PROGRESS while a checkout pays it, PAID (then PARTIALLY_REFUNDED or
 * REFUNDED), or UNPAID when it lapsed, was cancelled or declined before being paid. Priced
 * bookings made before keep TO_BE_PAID_AT_PROVIDER.
 */
export const BOOKING_PAYMENT_STATUSES = [
  'NOT_DUE',
  'TO_BE_PAID_AT_PROVIDER',
  'PAYMENT_DUE',
  'PAYMENT_IN_PROGRESS',
  'PAID',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'UNPAID',
] as const;
export type BookingPaymentStatusValue = (typeof BOOKING_PAYMENT_STATUSES)[number];
export const BookingPaymentStatus = Object.fromEntries(
  BOOKING_PAYMENT_STATUSES.map((s) => [s, s]),
) as { [K in BookingPaymentStatusValue]: K };
registerEnumType(BookingPaymentStatus, {
  name: 'BookingPaymentStatus',
  description:
    'What is owed for a booking, and where its payment through the platform is (priced bookings made before platform payments are paid at the provider).',
  valuesConfig: {
    NOT_DUE: { description: 'Nothing to pay: the offer is free.' },
    TO_BE_PAID_AT_PROVIDER: {
      description:
        'Booked before payments on the platform: the amount due is paid directly to the provider ("da pagare presso l’ente").',
    },
    PAYMENT_DUE: {
      description:
        'To be paid on the platform by `payBy`; the place is held until then, and freed if it is not paid.',
    },
    PAYMENT_IN_PROGRESS: { description: 'A payment (checkout) is under way.' },
    PAID: { description: 'Paid on the platform (`paidAt`).' },
    PARTIALLY_REFUNDED: { description: 'Paid, then part of it refunded (`refundedCents`).' },
    REFUNDED: { description: 'Paid, then refunded in full.' },
    UNPAID: {
      description:
        'Nothing was paid and nothing is owed: the booking lapsed, or was cancelled or declined, before it was paid.',
    },
  },
});

/** Payment statuses of a booking a checkout paid (it has a `checkoutId` and `paidAt`). */
export const PAID_PAYMENT_STATUSES: readonly BookingPaymentStatusValue[] = [
  'PAID',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
];

/** Limits shared by the service, the migration's CHECKs and the portal. */
export const BOOKING_LIMITS = {
  quantityMin: 1,
  quantityMax: 50,
  noteMax: 1000,
  reasonMin: 3,
  reasonMax: 500,
  /** How far ahead a service can be booked, in days. */
  daysAhead: 366,
  keyMin: 8,
  keyMax: 100,
  /** An attendee's given or family name, in characters. */
  nameMax: 80,
  emailMax: 254,
  /** How many bookable days a booking page lists. */
  daysListed: 30,
  daysListedMax: 90,
} as const;
