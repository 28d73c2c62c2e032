// Labels of the bookings of catalogue offers (citizen and provider pages).
import { m } from '$lib/paraglide/messages';

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
const STATUS: Record<string, () => string> = {
  REQUESTED: m.booking_status_requested,
  CONFIRMED: m.booking_status_confirmed,
  DECLINED: m.booking_status_declined,
  CANCELLED: m.booking_status_cancelled,
};

/** "ora", "incontro", "pacchetto". */
export const priceUnitLabel = (kind: string): string => UNIT[kind]?.() ?? '';
/** The label of the quantity field for the offer's price kind. */
export const quantityLabel = (kind: string): string =>
  QUANTITY[kind]?.() ?? m.booking_quantity_hours();
export const bookingStatusLabel = (status: string): string => STATUS[status]?.() ?? status;
/** Bootstrap Italia badge colour of a status (the text says it too). */
export function bookingStatusBadge(status: string): string {
  if (status === 'CONFIRMED') return 'bg-success';
  if (status === 'REQUESTED') return 'bg-primary';
  if (status === 'DECLINED') return 'bg-danger';
  return 'bg-secondary';
}
/** What the citizen pays and how: "Da pagare presso l'ente" or "Gratuito". */
export const paymentLabel = (paymentStatus: string): string =>
  paymentStatus === 'NOT_DUE' ? m.booking_payment_not_due() : m.booking_pay_at_provider();
