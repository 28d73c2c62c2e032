// Labels of the bookings of catalogue offers (citizen and provider pages).
import { formatLongDateTime } from './dates';
import { enumLabelOf } from './enum-labels';
import type { Locale } from './locale';
import { m } from './paraglide/messages';

const UNIT: Record<string, () => string> = {
  PER_HOUR: m.booking_unit_hour,
  PER_SESSION: m.booking_unit_session,
  PER_PACKAGE: m.booking_unit_package,
};
const QUANTITY: Record<string, () => string> = {
  PER_HOUR: m.booking_quantity_hours,
  PER_SESSION: m.booking_quantity_sessions,
  PER_PACKAGE: m.booking_quantity_packages,
};

/** "ora", "incontro", "pacchetto". */
export const priceUnitLabel = (kind: string): string => UNIT[kind]?.() ?? '';
/** The label of the quantity field for the offer's price kind. */
export const quantityLabel = (kind: string): string =>
  QUANTITY[kind]?.() ?? m.booking_quantity_hours();
export const bookingStatusLabel = (status: string): string =>
  enumLabelOf('OfferBookingStatus', status) ?? status;
/** Bootstrap Italia badge colour of a status (the text says it too). */
export function bookingStatusBadge(status: string): string {
  if (status === 'CONFIRMED') return 'bg-success';
  if (status === 'REQUESTED') return 'bg-primary';
  if (status === 'DECLINED') return 'bg-danger';
  return 'bg-secondary';
}
/**
 * Where the payment is: "Gratuito", "Da pagare entro il 7 dicembre 2026 alle ore 10:30", "Pagato", "Da pagare
 * presso l'ente" (only a booking made before platform payments)…; a status the portal does not
 * know yet is named as it is.
 */
export function paymentLabel(
  paymentStatus: string,
  payBy?: string | null,
  locale: Locale = 'it',
): string {
  if (paymentStatus === 'PAYMENT_DUE' && payBy) {
    return m.booking_payment_due_by({ date: formatLongDateTime(payBy, locale) });
  }
  return enumLabelOf('BookingPaymentStatus', paymentStatus) ?? paymentStatus;
}

/** True when the citizen can pay the booking online now. */
export const payable = (booking: { paymentStatus: string; status: string }): boolean =>
  booking.paymentStatus === 'PAYMENT_DUE' &&
  (booking.status === 'REQUESTED' || booking.status === 'CONFIRMED');
