import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { romeToday } from '$lib/dates';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { type BookingProblem, type BookingValues, parseBookingForm } from '$lib/offer-booking';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import { BookableOfferQuery, BookOfferMutation } from '$lib/server/offer-bookings';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const FIELDS = ['serviceDate', 'quantity', 'note'] as const;

const PROBLEM: Record<BookingProblem, () => Localized> = {
  required: () => both(m.required_field),
  date: () => both(m.booking_error_date),
  past: () => both(m.booking_error_past),
  quantity: () => both(m.booking_error_quantity),
  noteLong: () => both(m.booking_error_note),
};

async function bookableOffer(event: RequestEvent) {
  const result = await event.locals.api(BookableOfferQuery, { id: event.params.id });
  const offer = result.data?.offer ?? null;
  if (!offer) error(result.unavailable ? 503 : 404, 'Not found');
  return offer;
}

/** The booking form of a catalogue offer (citizens logged in with SPID/CIE). */
export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const offer = await bookableOffer(event);
  return {
    offer,
    citizen: Boolean(viewer.person.fiscalCode),
    today: romeToday(),
    // One key per form shown: sending the same form twice books once.
    idempotencyKey: randomUUID(),
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireViewer(event);
    const offer = await bookableOffer(event);
    const data = await event.request.formData();
    const values: BookingValues = {
      serviceDate: text(data, 'serviceDate'),
      quantity: text(data, 'quantity'),
      note: text(data, 'note'),
      idempotencyKey: text(data, 'idempotencyKey') || randomUUID(),
    };
    const parsed = parseBookingForm(values, offer.priceKind, romeToday());
    if (!parsed.input) {
      const fields: Record<string, Localized> = {};
      for (const [field, problem] of Object.entries(parsed.problems)) {
        if (problem) fields[field] = PROBLEM[problem]();
      }
      return invalid({ message: both(m.form_invalid), fields }, values);
    }
    const result = await event.locals.api(BookOfferMutation, {
      input: { offerId: offer.id, ...parsed.input, idempotencyKey: values.idempotencyKey },
    });
    const booked = result.data?.bookOffer;
    if (!booked) return failWith(result, [...FIELDS, 'offerId'], values);
    redirect(303, `/prenotazioni/servizi?prenotata=${encodeURIComponent(booked.id)}`);
  },
};
