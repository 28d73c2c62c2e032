import { registerEnumType } from 'type-graphql';

/** A booking's life: REQUESTED → CONFIRMED or DECLINED (provider); REQUESTED/CONFIRMED → CANCELLED (citizen). */
export const OFFER_BOOKING_STATUSES = ['REQUESTED', 'CONFIRMED', 'DECLINED', 'CANCELLED'] as const;
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
    CANCELLED: { description: 'Cancelled by the citizen before the day of the service.' },
  },
});

/** The bookings that hold a place (count against the offer's capacity). */
export const ACTIVE_BOOKING_STATUSES: readonly OfferBookingStatusValue[] = [
  'REQUESTED',
  'CONFIRMED',
];

/**
 * What is owed for a booking. No payment happens on the platform yet: the payments subgraph
 * comes later; until then a priced booking is paid at the provider.
 */
export const BOOKING_PAYMENT_STATUSES = ['NOT_DUE', 'TO_BE_PAID_AT_PROVIDER'] as const;
export type BookingPaymentStatusValue = (typeof BOOKING_PAYMENT_STATUSES)[number];
export const BookingPaymentStatus = Object.fromEntries(
  BOOKING_PAYMENT_STATUSES.map((s) => [s, s]),
) as { [K in BookingPaymentStatusValue]: K };
registerEnumType(BookingPaymentStatus, {
  name: 'BookingPaymentStatus',
  description:
    'What is owed for a booking. Nothing is charged through the platform yet (payments come with the payments subgraph).',
  valuesConfig: {
    NOT_DUE: { description: 'Nothing to pay: the offer is free.' },
    TO_BE_PAID_AT_PROVIDER: {
      description:
        'The amount due is paid directly to the provider ("da pagare presso l’ente"); the platform charges nothing.',
    },
  },
});

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
} as const;
