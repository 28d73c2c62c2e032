import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { memberAttendee, parseAttendeeChoice } from '$lib/booking-attendee';
import { romeToday } from '$lib/dates';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { type BookingProblem, type BookingValues, parseBookingForm } from '$lib/offer-booking';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import { BookableOfferQuery, BookOfferMutation } from '$lib/server/offer-bookings';
import { OfferBookableDaysQuery } from '$lib/server/operations-bookings';
import { MyHouseholdMembersQuery } from '$lib/server/operations-household';
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
  'attendeeWho',
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

/** Who attends, as the booking mutation takes it (null: the booker). */
type BookingAttendee = {
  givenName: string;
  familyName: string;
  fiscalCode: string | null;
  birthDate: string;
};

/** How many bookable days the form lists. */
const DAYS_LISTED = 30;

/** The next days the offer can be booked, with the places left (empty when unavailable). */
async function bookableDays(event: RequestEvent, offerId: string) {
  const result = await event.locals.api(OfferBookableDaysQuery, { offerId, first: DAYS_LISTED });
  return result.data?.offerBookableDays ?? [];
}

/** The booker's household in the registries (empty when in none, or unavailable). */
async function householdMembers(event: RequestEvent) {
  const result = await event.locals.api(MyHouseholdMembersQuery, {});
  return result.data?.myHouseholdMembers ?? [];
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
  const citizen = Boolean(viewer.person.fiscalCode);
  const [days, members] = await Promise.all([
    bookableDays(event, offer.id),
    citizen ? householdMembers(event) : [],
  ]);
  return {
    offer,
    days,
    citizen,
    // Whom the citizen may book for: themselves, their household (registry), someone typed.
    self: `${viewer.person.givenName} ${viewer.person.familyName}`.trim(),
    members: members.filter((member) => !member.isCaller),
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
    const choice = parseAttendeeChoice(text(data, 'attendeeWho'));
    const values: BookingFormValues = {
      serviceDate: text(data, 'serviceDate'),
      quantity: text(data, 'quantity'),
      note: text(data, 'note'),
      idempotencyKey: text(data, 'idempotencyKey') || randomUUID(),
      attendeeWho: text(data, 'attendeeWho'),
      attendeeGivenName: text(data, 'attendeeGivenName'),
      attendeeFamilyName: text(data, 'attendeeFamilyName'),
      attendeeFiscalCode: text(data, 'attendeeFiscalCode'),
      attendeeBirthDate: text(data, 'attendeeBirthDate'),
      contactPhone: text(data, 'contactPhone'),
      contactEmail: text(data, 'contactEmail'),
    };
    const parsed = parseBookingForm(values, offer.priceKind, romeToday());
    const fields: Record<string, Localized> = {};
    for (const [field, problem] of Object.entries(parsed.problems)) {
      if (problem) fields[field] = PROBLEM[problem]();
    }
    // A member of the household is looked up again in the registry (never the browser's names).
    let attendee: BookingAttendee | null = null;
    if (choice.kind === 'other') {
      attendee = {
        givenName: values.attendeeGivenName,
        familyName: values.attendeeFamilyName,
        fiscalCode: values.attendeeFiscalCode || null,
        birthDate: values.attendeeBirthDate,
      };
    } else if (choice.kind === 'member') {
      const member = memberAttendee(await householdMembers(event), choice.fiscalCode);
      if (member === undefined) fields.attendeeWho = both(m.bk_attendee_member_unknown);
      else attendee = member;
    }
    if (!parsed.input || Object.keys(fields).length > 0) {
      return invalid({ message: both(m.form_invalid), fields }, values);
    }
    const result = await event.locals.api(BookOfferMutation, {
      input: {
        offerId: offer.id,
        ...parsed.input,
        idempotencyKey: values.idempotencyKey,
        contactPhone: values.contactPhone || null,
        contactEmail: values.contactEmail || null,
        attendee,
      },
    });
    const booked = result.data?.bookOffer;
    if (!booked) return failWith(result, [...FIELDS, 'offerId'], values);
    redirect(303, `/prenotazioni/servizi?prenotata=${encodeURIComponent(booked.id)}`);
  },
};
