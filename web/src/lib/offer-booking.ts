// The booking form of a catalogue offer and what a booking owes. Pure (no SvelteKit, no
// messages): unit-tested in offer-booking.spec.ts. The API computes the amount due itself; the
// portal shows the same figure before the citizen sends the form.
import type { OfferPriceKind } from './api-enums';
import { isDay } from './dates';

export const BOOKING_QUANTITY_MAX = 50;
export const BOOKING_NOTE_MAX = 1000;

/** The form as posted: every field a string. */
export type BookingValues = {
  serviceDate: string;
  quantity: string;
  note: string;
  idempotencyKey: string;
};

export type BookingProblem = 'required' | 'date' | 'past' | 'quantity' | 'noteLong';

export interface ParsedBooking {
  input: { serviceDate: string; quantity: number; note: string | null } | null;
  problems: Partial<Record<keyof BookingValues, BookingProblem>>;
}

/** A whole number written with digits only (no sign, no decimals), or null. */
export function parseQuantity(value: string): number | null {
  const v = value.trim();
  if (!/^\d{1,3}$/.test(v)) return null;
  const n = Number(v);
  return n >= 1 && n <= BOOKING_QUANTITY_MAX ? n : null;
}

/** What a booking owes in cents: unit price × quantity (0 when free or the quantity is invalid). */
export function amountDueCents(priceCents: number | null, quantity: number | null): number {
  if (priceCents === null || quantity === null) return 0;
  return priceCents * quantity;
}

/**
 * The portal's own checks before calling the API (which checks again): a real date not in the
 * past (`today`, yyyy-mm-dd in Rome), a whole quantity from 1 to 50 (always 1 for a free offer).
 */
export function parseBookingForm(
  values: BookingValues,
  priceKind: OfferPriceKind,
  today: string,
): ParsedBooking {
  const problems: ParsedBooking['problems'] = {};
  const serviceDate = values.serviceDate.trim();
  if (!serviceDate) problems.serviceDate = 'required';
  else if (!isDay(serviceDate)) problems.serviceDate = 'date';
  else if (serviceDate < today) problems.serviceDate = 'past';
  const quantity = priceKind === 'FREE' ? 1 : parseQuantity(values.quantity);
  if (quantity === null) problems.quantity = values.quantity.trim() ? 'quantity' : 'required';
  const note = values.note.trim();
  if ([...note].length > BOOKING_NOTE_MAX) problems.note = 'noteLong';
  if (Object.keys(problems).length > 0) return { input: null, problems };
  return { input: { serviceDate, quantity: quantity!, note: note || null }, problems };
}
