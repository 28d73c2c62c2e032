import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { actorOf, isProviderAdmin, requirePerson, requireProviderAdmin } from '@welfare/kit/access';
import { addDays, isIsoDate, romeDay } from '@welfare/kit/dates';
import { isValidPersonalFiscalCode, normaliseFiscalCode } from '@welfare/kit/pii';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { sqlState } from '../shared/db-errors.js';
import type { Offer } from '../offer/offer.entity.js';
import { findOffer, lockOffer } from '../offer/offer.repository.js';
import type { OfferService } from '../offer/offer.service.js';
import { OfferBooking } from './offer-booking.entity.js';
import {
  ACTIVE_BOOKING_STATUSES,
  BOOKING_LIMITS,
  OFFER_BOOKING_STATUSES,
  type BookingPaymentStatusValue,
  type OfferBookingStatusValue,
} from './offer-booking.enums.js';
import {
  countPlacesTaken,
  findActiveBookingsOfDay,
  findBooking,
  findBookingsOfCitizen,
  findBookingsOfProvider,
  findByIdempotencyKey,
  lapseOverdue,
  lockBooking,
} from './offer-booking.repository.js';
import {
  notifyBookingCancelledByFamily,
  notifyBookingCancelledByProvider,
  notifyBookingConfirmed,
  notifyBookingDeclined,
  notifyBookingRequested,
} from '../notification/notification.service.js';

/** Time to pay a priced booking by default, in minutes (see `BOOKING_PAY_WITHIN_MINUTES`). */
export const DEFAULT_PAY_WITHIN_MINUTES = 30;

/** What a citizen asks for (the GraphQL input, or the portal's form). */
export interface BookOfferData {
  offerId: string;
  /** The day of the service, yyyy-mm-dd (today or later, Europe/Rome). */
  serviceDate: string;
  /** Hours (PER_HOUR), sessions (PER_SESSION) or packages (PER_PACKAGE); 1 for a free offer. */
  quantity: number;
  note?: string | null;
  /** Chosen by the client (the portal's form carries one): a replay returns the same booking. */
  idempotencyKey: string;
  /** Who attends, when not the booker (null or absent: the booker attends). */
  attendee?: AttendeeData | null;
  /** How the provider reaches the family: a phone and/or an e-mail (at least one). */
  contactPhone?: string | null;
  contactEmail?: string | null;
}

/**
 * Who attends a booking when it is not the booker. Households are public-welfare's and no
 * contract gives a citizen's household members to this subgraph, so the booker types them: the
 * names and the birth date, and the codice fiscale when the person has one (checked; a
 * non-resident may have none).
 */
export interface AttendeeData {
  givenName: string;
  familyName: string;
  fiscalCode?: string | null;
  /** yyyy-mm-dd. */
  birthDate: string;
}

/** A day an offer can be booked, with the places left on it. */
export interface BookableDay {
  date: string;
  placesLeft: number;
}

const KEY = /^[A-Za-z0-9_-]+$/;

const NOT_BOOKABLE = {
  it: 'Questo servizio non è prenotabile: non è nel catalogo.',
  en: 'This service cannot be booked: it is not in the catalogue.',
};
/** A tutoring programme in the catalogue: families enrol on it, they do not book it. */
const PROGRAMME_NOT_BOOKABLE = {
  it: 'Questo è un programma di tutoraggio: non si prenota, ci si iscrive dalla pagina del programma.',
  en: 'This is a tutoring programme: it is not booked, families enrol from the programme’s page.',
};
const FULL = {
  it: 'Non ci sono più posti per questo servizio in quella data: scegli un altro giorno.',
  en: 'No places are left for this service on that day: choose another day.',
};
const ALREADY = {
  it: 'Hai già una prenotazione di questo servizio in quella data.',
  en: 'You already have a booking of this service on that day.',
};

function notFound(): DomainError {
  return DomainError.notFound({ it: 'Prenotazione non trovata.', en: 'Booking not found.' });
}

const PAYMENT_UNDER_WAY = {
  it: 'Il pagamento di questa prenotazione è in corso: riprova tra qualche minuto.',
  en: 'This booking is being paid: try again in a few minutes.',
};
const PAID_GOES_THROUGH_PAYMENTS = {
  it: 'Questa prenotazione è già pagata: per annullarla serve il rimborso, che passa dai pagamenti.',
  en: 'This booking is already paid: cancelling it needs a refund, which goes through payments.',
};

/**
 * Whether a booking can be cancelled or declined as its payment stands: not while a checkout
 * pays it, nor once paid (the money would be dropped: the refund, with the cancellation, goes
 * through the payments subgraph). A refused one is answered with the reason.
 */
function refuseIfPaying(paymentStatus: BookingPaymentStatusValue): void {
  if (paymentStatus === 'PAYMENT_IN_PROGRESS') throw DomainError.conflict(PAYMENT_UNDER_WAY);
  if (paymentStatus === 'PAID' || paymentStatus === 'PARTIALLY_REFUNDED')
    throw DomainError.conflict(PAID_GOES_THROUGH_PAYMENTS);
}

/** A booking's payment status once it is cancelled or declined: a due payment is no longer owed. */
function paymentAfterEnd(paymentStatus: BookingPaymentStatusValue): BookingPaymentStatusValue {
  return paymentStatus === 'PAYMENT_DUE' ? 'UNPAID' : paymentStatus;
}

function wrongStatus(): DomainError {
  return DomainError.conflict({
    it: 'Operazione non possibile nello stato attuale della prenotazione.',
    en: 'Not possible in the booking’s current status.',
  });
}

const messageOf = (err: unknown): string => {
  const e = err as { constraint?: unknown; message?: unknown };
  return `${typeof e.constraint === 'string' ? e.constraint : ''} ${typeof e.message === 'string' ? e.message : ''}`;
};

/** A booking request with its fields trimmed (what is stored and compared on a replay). */
interface BookingRequest {
  offerId: string;
  key: string;
  serviceDate: string;
  quantity: number;
  /** The quantity is a whole number in range (the free-offer rule adds its own error). */
  quantityOk: boolean;
  note: string | null;
  /** The day is well-formed and within the booking horizon (the calendar is checked after). */
  dayOk: boolean;
  attendee: AttendeeData | null;
  contactPhone: string | null;
  contactEmail: string | null;
}

/** Checks the key, the day (from `today`, within the booking horizon), the quantity and the note. */
function validateRequest(input: BookOfferData, today: string, errors: FieldErrors): BookingRequest {
  const key = typeof input.idempotencyKey === 'string' ? input.idempotencyKey.trim() : '';
  if (key.length < BOOKING_LIMITS.keyMin || key.length > BOOKING_LIMITS.keyMax || !KEY.test(key))
    errors.add(
      'idempotencyKey',
      'Chiave di idempotenza non valida (da 8 a 100 lettere, cifre, - o _).',
      'Invalid idempotency key (8 to 100 letters, digits, - or _).',
    );
  const serviceDate = typeof input.serviceDate === 'string' ? input.serviceDate.trim() : '';
  const dayOk =
    isIsoDate(serviceDate) &&
    serviceDate >= today &&
    serviceDate <= addDays(today, BOOKING_LIMITS.daysAhead);
  if (!isIsoDate(serviceDate))
    errors.add('serviceDate', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
  else if (serviceDate < today)
    errors.add(
      'serviceDate',
      'La data del servizio non può essere passata.',
      'The day of the service cannot be in the past.',
    );
  else if (serviceDate > addDays(today, BOOKING_LIMITS.daysAhead))
    errors.add(
      'serviceDate',
      'Si può prenotare al massimo un anno prima.',
      'Bookings open at most one year ahead.',
    );
  const quantity = input.quantity;
  const quantityOk =
    Number.isInteger(quantity) &&
    quantity >= BOOKING_LIMITS.quantityMin &&
    quantity <= BOOKING_LIMITS.quantityMax;
  if (!quantityOk)
    errors.add(
      'quantity',
      'La quantità deve essere un numero intero da 1 a 50.',
      'The quantity must be a whole number from 1 to 50.',
    );
  const note = typeof input.note === 'string' && input.note.trim() ? input.note.trim() : null;
  if (note !== null && [...note].length > BOOKING_LIMITS.noteMax)
    errors.add(
      'note',
      'Nota troppo lunga (al massimo 1000 caratteri).',
      'Note too long (1,000 characters at most).',
    );
  return {
    offerId: input.offerId,
    key,
    serviceDate,
    quantity,
    quantityOk,
    note,
    dayOk,
    attendee: validateAttendee(input.attendee ?? null, today, errors),
    ...validateContact(input, errors),
  };
}

const PHONE = /^\+?[0-9]{6,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const trimmed = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** The attendee typed by the booker, checked (field errors under `attendee.*`). */
function validateAttendee(
  input: AttendeeData | null,
  today: string,
  errors: FieldErrors,
): AttendeeData | null {
  if (input === null) return null;
  const givenName = trimmed(input.givenName);
  const familyName = trimmed(input.familyName);
  if (!givenName || [...givenName].length > BOOKING_LIMITS.nameMax)
    errors.add(
      'attendee.givenName',
      'Indica il nome di chi partecipa (al massimo 80 caratteri).',
      'Give the first name of who attends (80 characters at most).',
    );
  if (!familyName || [...familyName].length > BOOKING_LIMITS.nameMax)
    errors.add(
      'attendee.familyName',
      'Indica il cognome di chi partecipa (al massimo 80 caratteri).',
      'Give the surname of who attends (80 characters at most).',
    );
  const birthDate = trimmed(input.birthDate);
  if (!isIsoDate(birthDate) || birthDate > today || birthDate < addDays(today, -120 * 366))
    errors.add(
      'attendee.birthDate',
      'Data di nascita non valida (AAAA-MM-GG, non futura).',
      'Invalid birth date (YYYY-MM-DD, not in the future).',
    );
  const rawCode = trimmed(input.fiscalCode);
  const fiscalCode = rawCode ? normaliseFiscalCode(rawCode) : null;
  if (fiscalCode !== null && !isValidPersonalFiscalCode(fiscalCode))
    errors.add('attendee.fiscalCode', 'Codice fiscale non valido.', 'Invalid codice fiscale.');
  return { givenName, familyName, birthDate, fiscalCode };
}

/** The contact: a phone (spaces, dots, dashes and brackets dropped) and/or an e-mail. */
function validateContact(
  input: BookOfferData,
  errors: FieldErrors,
): { contactPhone: string | null; contactEmail: string | null } {
  const rawPhone = trimmed(input.contactPhone);
  const contactPhone = rawPhone ? rawPhone.replace(/[\s.\-()/]/g, '') : null;
  const rawEmail = trimmed(input.contactEmail);
  const contactEmail = rawEmail ? rawEmail.toLowerCase() : null;
  if (contactPhone !== null && !PHONE.test(contactPhone))
    errors.add(
      'contactPhone',
      'Numero di telefono non valido (da 6 a 15 cifre, con + facoltativo).',
      'Invalid phone number (6 to 15 digits, optional +).',
    );
  if (
    contactEmail !== null &&
    (!EMAIL.test(contactEmail) || contactEmail.length > BOOKING_LIMITS.emailMax)
  )
    errors.add('contactEmail', 'Indirizzo e-mail non valido.', 'Invalid e-mail address.');
  if (contactPhone === null && contactEmail === null)
    errors.add(
      'contactPhone',
      'Indica un telefono o un’e-mail per essere contattati dall’ente.',
      'Give a phone or an e-mail for the provider to reach you.',
    );
  return { contactPhone, contactEmail };
}

/**
 * Bookings of catalogue offers. A citizen (a person with a codice fiscale) books an offer that is
 * in the catalogue now for a day (today or later), with a quantity; what is owed is computed here
 * from the offer's price, never taken from the client. A priced booking is paid on the platform
 * (through the payments subgraph, see OfferBookingPayableService) within `payWithinMinutes`: it
 * holds its place until then, and lapses (EXPIRED, its place freed) if unpaid. The offer's
 * capacity bounds the active bookings of a day, checked under a row lock on the offer (and by a
 * trigger); the lapsed bookings of that day are lapsed first, under the same lock, so a place is
 * free again the moment its time to pay passes. The provider's ADMIN confirms or declines; the
 * citizen cancels before the day (not a booking being paid or paid: its refund goes through
 * payments). A citizen sees only its own bookings, a provider only those of its own offers.
 */
export class OfferBookingService {
  constructor(
    private readonly offers: OfferService,
    private readonly calendar: CalendarService,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
    /** Time to pay a priced booking, in minutes. */
    private readonly payWithinMinutes: number = DEFAULT_PAY_WITHIN_MINUTES,
  ) {}

  // ---- reads --------------------------------------------------------------------------------

  /** The caller's own bookings, latest day first. */
  async mine(em: EntityManager, caller: Caller): Promise<OfferBooking[]> {
    const person = requirePerson(caller);
    return findBookingsOfCitizen(em, person.personId);
  }

  /** The bookings of the provider's offers (its ADMIN only: FORBIDDEN otherwise), by day. */
  async forProvider(
    em: EntityManager,
    caller: Caller,
    providerId: string,
    statuses: OfferBookingStatusValue[] | null = null,
  ): Promise<OfferBooking[]> {
    requireProviderAdmin(caller, providerId);
    const wanted = (statuses ?? []).filter((s) => OFFER_BOOKING_STATUSES.includes(s));
    return findBookingsOfProvider(em, providerId, wanted);
  }

  /** One booking, for the citizen who made it or the provider's ADMIN; null otherwise. */
  async get(em: EntityManager, caller: Caller, id: string): Promise<OfferBooking | null> {
    if (caller.kind !== 'person') return null;
    const booking = await findBooking(em, id);
    if (!booking) return null;
    if (booking.citizenPersonId === caller.personId) return booking;
    return isProviderAdmin(caller, booking.providerId) ? booking : null;
  }

  /**
   * True while the citizen may still cancel here: active, the day has not come yet, and neither
   * being paid nor paid (a paid booking is cancelled with its refund, through payments).
   */
  cancellable(booking: OfferBooking): boolean {
    return (
      ACTIVE_BOOKING_STATUSES.includes(booking.status) &&
      romeDay(this.now()) < booking.serviceDate &&
      !['PAYMENT_IN_PROGRESS', 'PAID', 'PARTIALLY_REFUNDED'].includes(booking.paymentStatus)
    );
  }

  /**
   * Lapses every booking whose time to pay has passed (at most `limit`, skipping those locked
   * now): the lapse job's pass. Answers how many lapsed.
   */
  async lapseOverdue(em: EntityManager, limit: number): Promise<number> {
    return (await lapseOverdue(em, this.now(), { limit })).length;
  }

  /**
   * The next `count` days (1 to 90, from today) the offer can be booked, by its schedule and the
   * calendar (national holidays, the Comune's patron saint, the provider's closures), with the
   * places left on each (a full day is listed with 0). Empty for an offer not in the catalogue.
   */
  async bookableDays(em: EntityManager, offerId: string, count: number): Promise<BookableDay[]> {
    const wanted = Math.min(Math.max(Math.floor(count) || 1, 1), BOOKING_LIMITS.daysListedMax);
    const offer = await findOffer(em, offerId);
    if (!offer || offer.tutoringProgrammeId || !(await this.offers.inCatalogue(em, offer))) {
      return [];
    }
    const days = await this.calendar.allowedDays(
      em,
      offer,
      romeDay(this.now()),
      wanted,
      BOOKING_LIMITS.daysAhead,
    );
    const taken = await countPlacesTaken(em, offer.id, days, this.now());
    return days.map((date) => ({
      date,
      placesLeft: Math.max(0, offer.capacity - (taken.get(date) ?? 0)),
    }));
  }

  /** The places left on the offer on `day` (capacity minus the active bookings of that day). */
  async placesLeft(em: EntityManager, offer: Offer, day: string): Promise<number> {
    const taken = await countPlacesTaken(em, offer.id, [day], this.now());
    return Math.max(0, offer.capacity - (taken.get(day) ?? 0));
  }

  /**
   * True when the provider cancelled a paid booking and the money has not all gone back yet: the
   * provider's ADMIN refunds it through the payments service (`refundCheckout`).
   */
  refundDue(booking: OfferBooking): boolean {
    return (
      booking.status === 'CANCELLED_BY_PROVIDER' &&
      (booking.paymentStatus === 'PAID' || booking.paymentStatus === 'PARTIALLY_REFUNDED')
    );
  }

  // ---- writes -------------------------------------------------------------------------------

  /**
   * Books an offer. Every field is checked first (BAD_USER_INPUT lists them all, nothing
   * written): the offer must be in the catalogue now, the day today or later (within a year),
   * the quantity a whole number from 1 to 50 (1 for a free offer). CONFLICT when the day is full
   * or the citizen already holds a booking of the offer that day. A replay of the idempotency key
   * returns the first booking (CONFLICT if the request differs). The provider is notified of a
   * new booking in the booking's transaction.
   */
  async book(em: EntityManager, caller: Caller, input: BookOfferData): Promise<OfferBooking> {
    const person = requireCitizen(caller);
    const errors = new FieldErrors();
    const request = validateRequest(input, romeDay(this.now()), errors);
    if (!errors.any) {
      const earlier = await this.replay(em, person, request);
      if (earlier) return earlier;
    }
    const offer = await this.bookableOffer(em, input.offerId, request, errors);
    if (offer && request.dayOk) {
      const refusal = await this.calendar.refusal(em, offer, request.serviceDate);
      if (refusal) errors.add('serviceDate', refusal.it, refusal.en);
    }
    errors.throwIfAny();
    try {
      return await em.transactional((tx) => this.bookLocked(tx, person, offer!.id, request));
    } catch (err) {
      const state = sqlState(err);
      const text = messageOf(err);
      if (state === '23505' && text.includes('offer_booking_idempotency_unique')) {
        const earlier = await this.replay(em.fork(), person, request);
        if (earlier) return earlier;
      }
      if (state === '23505' && text.includes('offer_booking_one_active_unique')) throw already();
      if (state === '23514' && text.includes('offer_booking_capacity')) throw full();
      throw err;
    }
  }

  /** The offer when it is in the catalogue now (a field error otherwise; 1 for a free one). */
  private async bookableOffer(
    em: EntityManager,
    offerId: string,
    request: BookingRequest,
    errors: FieldErrors,
  ): Promise<Offer | null> {
    const offer = await findOffer(em.fork(), offerId);
    if (!offer || !(await this.offers.inCatalogue(em, offer))) {
      errors.add('offerId', NOT_BOOKABLE.it, NOT_BOOKABLE.en);
      return null;
    } else if (offer.tutoringProgrammeId) {
      errors.add('offerId', PROGRAMME_NOT_BOOKABLE.it, PROGRAMME_NOT_BOOKABLE.en);
      return null;
    } else if (offer.priceKind === 'FREE' && request.quantityOk && request.quantity !== 1)
      errors.add(
        'quantity',
        'Per un servizio gratuito la quantità è 1.',
        'For a free service the quantity is 1.',
      );
    return offer;
  }

  /**
   * The booking's transaction. The offer's row lock serialises the bookings of the offer: count,
   * then insert. (The provider's accreditation was checked just before; the offer may have been
   * withdrawn.)
   */
  private async bookLocked(
    tx: EntityManager,
    person: PersonCaller,
    offerId: string,
    request: BookingRequest,
  ): Promise<OfferBooking> {
    const locked = await lockOffer(tx, offerId, true);
    if (!locked || locked.status !== 'PUBLISHED')
      throw DomainError.badInput([{ field: 'offerId', message: NOT_BOOKABLE }]);
    const now = this.now();
    // Unpaid bookings of the day whose time to pay passed hold no place any more.
    await lapseOverdue(tx, now, { offerId: locked.id, serviceDate: request.serviceDate });
    const active = await findActiveBookingsOfDay(tx, locked.id, request.serviceDate);
    if (active.some((b) => b.citizenPersonId === person.personId)) throw already();
    if (active.length >= locked.capacity) throw full();
    const unit = locked.priceKind === 'FREE' ? null : locked.priceCents;
    const booking = tx.create(OfferBooking, {
      offerId: locked.id,
      providerId: locked.providerId,
      comuneId: locked.comuneId,
      offerTitle: locked.title,
      citizenPersonId: person.personId,
      citizenFiscalCode: person.fiscalCode!,
      serviceDate: request.serviceDate,
      quantity: request.quantity,
      priceKind: locked.priceKind,
      unitPriceCents: unit,
      amountDueCents: (unit ?? 0) * request.quantity,
      paymentStatus: unit === null ? 'NOT_DUE' : 'PAYMENT_DUE',
      payBy: unit === null ? null : new Date(now.getTime() + this.payWithinMinutes * 60_000),
      note: request.note,
      idempotencyKey: request.key,
      attendeeGivenName: request.attendee?.givenName ?? null,
      attendeeFamilyName: request.attendee?.familyName ?? null,
      attendeeFiscalCode: request.attendee?.fiscalCode ?? null,
      attendeeBirthDate: request.attendee?.birthDate ?? null,
      contactPhone: request.contactPhone,
      contactEmail: request.contactEmail,
    });
    await tx.flush();
    // The provider's admins are told of the request, in the same transaction (the outbox).
    await notifyBookingRequested(tx, booking);
    return booking;
  }

  /** REQUESTED → CONFIRMED, by the provider's ADMIN (FORBIDDEN for anyone else). */
  async confirm(em: EntityManager, caller: Caller, id: string): Promise<OfferBooking> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const booking = await this.lockForProvider(tx, person, id);
      if (booking.status !== 'REQUESTED') throw wrongStatus();
      booking.status = 'CONFIRMED';
      booking.decidedAt = this.now();
      booking.decidedBy = person.personId;
      await notifyBookingConfirmed(tx, booking);
      await tx.flush();
      return booking;
    });
  }

  /**
   * REQUESTED → DECLINED with a reason (3 to 500 characters), by the provider's ADMIN. Not while
   * a checkout pays it, nor once paid (CONFLICT: its refund goes through payments).
   */
  async decline(
    em: EntityManager,
    caller: Caller,
    id: string,
    reason: string,
  ): Promise<OfferBooking> {
    const person = requirePerson(caller);
    const text = typeof reason === 'string' ? reason.trim() : '';
    return em.transactional(async (tx) => {
      const booking = await this.lockForProvider(tx, person, id);
      if (
        [...text].length < BOOKING_LIMITS.reasonMin ||
        [...text].length > BOOKING_LIMITS.reasonMax
      )
        new FieldErrors()
          .add(
            'reason',
            'Indica il motivo (da 3 a 500 caratteri).',
            'Give the reason (3 to 500 characters).',
          )
          .throwIfAny();
      if (booking.status !== 'REQUESTED') throw wrongStatus();
      refuseIfPaying(booking.paymentStatus);
      booking.status = 'DECLINED';
      booking.paymentStatus = paymentAfterEnd(booking.paymentStatus);
      booking.declineReason = text;
      booking.decidedAt = this.now();
      booking.decidedBy = person.personId;
      await notifyBookingDeclined(tx, booking);
      await tx.flush();
      return booking;
    });
  }

  /**
   * REQUESTED or CONFIRMED → CANCELLED, by the citizen who booked, before the day of the service.
   * Not while a checkout pays it, nor once paid (CONFLICT: the cancellation with its refund goes
   * through payments); a payment that was due is no longer owed (UNPAID). The provider is
   * notified in the same transaction.
   */
  async cancel(em: EntityManager, caller: Caller, id: string): Promise<OfferBooking> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const booking = await lockBooking(tx, id);
      if (!booking) throw notFound();
      if (booking.citizenPersonId !== person.personId) throw DomainError.forbidden();
      if (!ACTIVE_BOOKING_STATUSES.includes(booking.status)) throw wrongStatus();
      refuseIfPaying(booking.paymentStatus);
      if (!this.cancellable(booking))
        throw DomainError.conflict({
          it: 'Una prenotazione si può annullare solo prima del giorno del servizio.',
          en: 'A booking can be cancelled only before the day of the service.',
        });
      booking.status = 'CANCELLED';
      booking.paymentStatus = paymentAfterEnd(booking.paymentStatus);
      booking.cancelledAt = this.now();
      await tx.flush();
      // The provider's admins are told the place is free again, in the same transaction.
      await notifyBookingCancelledByFamily(tx, booking);
      return booking;
    });
  }

  /**
   * CONFIRMED → CANCELLED_BY_PROVIDER with a reason (3 to 500 characters), by the provider's
   * ADMIN (FORBIDDEN for anyone else, another provider's included), up to the day of the service.
   * The place is freed; a payment that was due is no longer owed (UNPAID); a paid booking keeps
   * its payment and is `refundDue` until the provider refunds it in full through the payments
   * service (`refundCheckout`, the existing refund path). CONFLICT while a checkout pays it.
   * Audited (CANCEL_OFFER_BOOKING); the citizen is notified in the same transaction.
   */
  async cancelByProvider(
    em: EntityManager,
    caller: Caller,
    id: string,
    reason: string,
  ): Promise<OfferBooking> {
    const person = requirePerson(caller);
    const text = typeof reason === 'string' ? reason.trim() : '';
    return em.transactional(async (tx) => {
      const booking = await this.lockForProvider(tx, person, id);
      if (
        [...text].length < BOOKING_LIMITS.reasonMin ||
        [...text].length > BOOKING_LIMITS.reasonMax
      )
        new FieldErrors()
          .add(
            'reason',
            'Indica il motivo (da 3 a 500 caratteri).',
            'Give the reason (3 to 500 characters).',
          )
          .throwIfAny();
      if (booking.status !== 'CONFIRMED') throw wrongStatus();
      if (booking.paymentStatus === 'PAYMENT_IN_PROGRESS')
        throw DomainError.conflict(PAYMENT_UNDER_WAY);
      if (romeDay(this.now()) > booking.serviceDate)
        throw DomainError.conflict({
          it: 'Il giorno del servizio è passato: la prenotazione non si può più annullare.',
          en: 'The day of the service has passed: the booking can no longer be cancelled.',
        });
      booking.status = 'CANCELLED_BY_PROVIDER';
      booking.paymentStatus = paymentAfterEnd(booking.paymentStatus);
      booking.cancelReason = text;
      booking.cancelledAt = this.now();
      booking.cancelledBy = person.personId;
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(person),
        booking.comuneId,
        'CANCEL_OFFER_BOOKING',
        `offer-booking:${booking.id}`,
      );
      // The citizen who booked is told, with the reason, in the same transaction (the outbox).
      await notifyBookingCancelledByProvider(tx, booking, text);
      return booking;
    });
  }

  // ---- helpers ------------------------------------------------------------------------------

  private async lockForProvider(
    tx: EntityManager,
    person: PersonCaller,
    id: string,
  ): Promise<OfferBooking> {
    const booking = await lockBooking(tx, id);
    if (!booking) throw notFound();
    if (!isProviderAdmin(person, booking.providerId)) throw DomainError.forbidden();
    return booking;
  }

  /** The booking made earlier with this key, or null; CONFLICT when the request differs. */
  private async replay(
    em: EntityManager,
    person: PersonCaller,
    request: BookingRequest,
  ): Promise<OfferBooking | null> {
    const earlier = await findByIdempotencyKey(em, person.personId, request.key);
    if (!earlier) return null;
    if (
      earlier.offerId !== request.offerId ||
      earlier.serviceDate !== request.serviceDate ||
      earlier.quantity !== request.quantity ||
      earlier.note !== request.note
    ) {
      throw DomainError.conflict({
        it: 'Questa richiesta è già stata usata per una prenotazione diversa.',
        en: 'This request was already used for a different booking.',
      });
    }
    return earlier;
  }
}

/** The caller as a citizen: a person with a codice fiscale (logged in with SPID or CIE). */
function requireCitizen(caller: Caller): PersonCaller {
  const person = requirePerson(caller);
  if (!person.fiscalCode)
    throw DomainError.forbidden({
      it: 'Per prenotare accedi con SPID o CIE.',
      en: 'Log in with SPID or CIE to book.',
    });
  return person;
}

function full(): DomainError {
  return new DomainError('CONFLICT', FULL, { fields: [{ field: 'serviceDate', message: FULL }] });
}

function already(): DomainError {
  return new DomainError('CONFLICT', ALREADY, {
    fields: [{ field: 'serviceDate', message: ALREADY }],
  });
}
