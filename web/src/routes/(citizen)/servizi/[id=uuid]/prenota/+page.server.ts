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
import { OfferBookableDaysQuery } from '$lib/server/operations-bookings';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const FIELDS = [
  'serviceDate',
  'quantity',
  'note',
  'contactPhone',
  'contactEmail',
  'attendee.givenName',
  'attendee.familyName',
  'attendee.fiscalCode',
  'attendee.birthDate',
] as const;

/** The form as posted: the booking, who attends and the contact. */
type BookingFormValues = BookingValues & {
  attendeeWho: string;
  attendeeGivenName: string;
  attendeeFamilyName: string;
  attendeeFiscalCode: string;
  attendeeBirthDate: string;
  contactPhone: string;
  contactEmail: string;
};

/** How many bookable days the form lists. */
const DAYS_LISTED = 30;

/** The next days the offer can be booked, with the places left (empty when unavailable). */
async function bookableDays(event: RequestEvent, offerId: string) {
  const result = await event.locals.api(OfferBookableDaysQuery, { offerId, first: DAYS_LISTED });
  return result.data?.offerBookableDays ?? [];
}

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
  // A tutoring programme is not booked: families enrol on it.
  if (offer.tutoringProgrammeId) redirect(303, `/tutoraggio/${offer.tutoringProgrammeId}`);
  return offer;
}

/** The booking form of a catalogue offer (citizens logged in with SPID/CIE). */
export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const offer = await bookableOffer(event);
  return {
    offer,
    days: await bookableDays(event, offer.id),
    citizen: Boolean(viewer.person.fiscalCode),
    // The login's e-mail, offered as the contact (the citizen may change it).
    contactEmail: viewer.person.email ?? '',
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
    const values: BookingFormValues = {
      serviceDate: text(data, 'serviceDate'),
      quantity: text(data, 'quantity'),
      note: text(data, 'note'),
      idempotencyKey: text(data, 'idempotencyKey') || randomUUID(),
      attendeeWho: text(data, 'attendeeWho') === 'other' ? 'other' : 'self',
      attendeeGivenName: text(data, 'attendeeGivenName'),
      attendeeFamilyName: text(data, 'attendeeFamilyName'),
      attendeeFiscalCode: text(data, 'attendeeFiscalCode'),
      attendeeBirthDate: text(data, 'attendeeBirthDate'),
      contactPhone: text(data, 'contactPhone'),
      contactEmail: text(data, 'contactEmail'),
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
      input: {
        offerId: offer.id,
        ...parsed.input,
        idempotencyKey: values.idempotencyKey,
        contactPhone: values.contactPhone || null,
        contactEmail: values.contactEmail || null,
        attendee:
          values.attendeeWho === 'other'
            ? {
                givenName: values.attendeeGivenName,
                familyName: values.attendeeFamilyName,
                fiscalCode: values.attendeeFiscalCode || null,
                birthDate: values.attendeeBirthDate,
              }
            : null,
      },
    });
    const booked = result.data?.bookOffer;
    if (!booked) return failWith(result, [...FIELDS, 'offerId'], values);
    redirect(303, `/prenotazioni/servizi?prenotata=${encodeURIComponent(booked.id)}`);
  },
};
