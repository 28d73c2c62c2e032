// Labels of the bookings of catalogue offers (citizen and provider pages).
import { enumLabel, enumLabelOf } from './enum-labels';
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
/** Where the payment is: "Gratuito", "Da pagare", "Pagato", "Da pagare presso l'ente"… */
export const paymentLabel = (paymentStatus: string): string =>
  enumLabelOf('BookingPaymentStatus', paymentStatus) ??
  enumLabel('BookingPaymentStatus', 'TO_BE_PAID_AT_PROVIDER');
