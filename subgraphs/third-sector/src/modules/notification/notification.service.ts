import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueMessage, type OutboxTable } from '@welfare/kit/outbox';
import {
  activeBookingsOfLesson,
  languagesOf,
  offerAuthor,
  tutoringBookingFacts,
} from './notification.repository.js';
import {
  renderNotification,
  type NotificationLanguage,
  type NotificationParams,
  type NotificationTemplate,
} from './notification.templates.js';

/** Third-sector's outbox (`third_sector.message`, the kit's table). */
export const NOTIFICATION_OUTBOX: OutboxTable = { schema: 'third_sector', table: 'message' };

/** The portal's key of a person's messages (the citizen's "I miei messaggi"). */
export const personRecipient = (personId: string) => `person:${personId}`;
/** The portal's key of a provider's messages (read by its admins). */
export const providerRecipient = (providerId: string) => `provider:${providerId}`;

/** One message to write: the person whose language it is written in, and where it goes. */
interface Notice<T extends NotificationTemplate> {
  comuneId: string;
  /** The recipient's key in the portal (`person:<id>`, `provider:<id>`). */
  recipient: string;
  /** Whose language the message is written in (none chosen: Italian). */
  languageOf: string;
  template: T;
  params: NotificationParams[T];
  subjectRef: string;
  /** Once per key: an event notified again writes nothing. */
  dedupeKey: string;
}

/**
 * Writes the notices as PENDING PORTAL messages of the outbox, in `tx` (the transaction of the
 * event: a rolled-back event leaves no message), each in its recipient's language.
 */
async function write(
  tx: EntityManager,
  notices: readonly Notice<NotificationTemplate>[],
): Promise<number> {
  const languages = await languagesOf(tx, [...new Set(notices.map((n) => n.languageOf))]);
  let written = 0;
  for (const n of notices) {
    const language: NotificationLanguage = languages.get(n.languageOf) ?? 'it';
    const { subject, body } = renderNotification(n.template, n.params, language);
    const id = await enqueueMessage(tx, NOTIFICATION_OUTBOX, {
      comuneId: n.comuneId,
      template: n.template,
      subjectRef: n.subjectRef,
      channel: 'PORTAL',
      recipient: n.recipient,
      language,
      subject,
      body,
      dedupeKey: n.dedupeKey,
    });
    if (id) written++;
  }
  return written;
}

/** What an offer booking's notification needs of it. */
export interface BookingForNotice {
  id: string;
  comuneId: string;
  citizenPersonId: string;
  offerTitle: string;
  serviceDate: string;
  declineReason?: string | null;
}

/** The citizen's booking of an offer was CONFIRMED by the provider. */
export function notifyBookingConfirmed(tx: EntityManager, b: BookingForNotice): Promise<number> {
  return write(tx, [bookingNotice(b, 'BOOKING_CONFIRMED', '')]);
}

/** The citizen's booking of an offer was DECLINED by the provider (with its reason). */
export function notifyBookingDeclined(tx: EntityManager, b: BookingForNotice): Promise<number> {
  return write(tx, [bookingNotice(b, 'BOOKING_DECLINED', b.declineReason ?? '')]);
}

/**
 * The provider cancelled the citizen's booking, with a reason. To be called in the transaction
 * of that cancellation (ts-bookings' provider cancellation in `offer-booking`).
 */
export function notifyBookingCancelledByProvider(
  tx: EntityManager,
  b: BookingForNotice,
  reason: string,
): Promise<number> {
  return write(tx, [bookingNotice(b, 'BOOKING_CANCELLED_BY_PROVIDER', reason)]);
}

function bookingNotice(
  b: BookingForNotice,
  template: 'BOOKING_CONFIRMED' | 'BOOKING_DECLINED' | 'BOOKING_CANCELLED_BY_PROVIDER',
  reason: string,
): Notice<NotificationTemplate> {
  return {
    comuneId: b.comuneId,
    recipient: personRecipient(b.citizenPersonId),
    languageOf: b.citizenPersonId,
    template,
    params: { offerTitle: b.offerTitle, serviceDay: b.serviceDate, reason },
    subjectRef: `offer-booking:${b.id}`,
    dedupeKey: `${template}:${b.id}`,
  };
}

/** A waitlisted tutoring booking was given a freed seat (SEATED): the family is told. */
export async function notifySeatFreed(tx: EntityManager, bookingId: string): Promise<number> {
  const facts = await tutoringBookingFacts(tx, bookingId);
  if (!facts) return 0;
  return write(tx, [
    {
      comuneId: facts.comune_id,
      recipient: personRecipient(facts.family_id),
      languageOf: facts.family_id,
      template: 'SEAT_FREED',
      params: { programmeTitle: facts.programme_title, startsAt: facts.starts_at },
      subjectRef: `tutoring-booking:${facts.booking_id}`,
      dedupeKey: `SEAT_FREED:${facts.booking_id}`,
    },
  ]);
}

/**
 * The provider cancels a tutoring lesson: every family with a seat or on the waitlist is told.
 * Call it in the cancellation's transaction BEFORE the lesson's bookings are cancelled.
 */
export async function notifyLessonCancelled(tx: EntityManager, lessonId: string): Promise<number> {
  const bookings = await activeBookingsOfLesson(tx, lessonId);
  return write(
    tx,
    bookings.map((facts) => ({
      comuneId: facts.comune_id,
      recipient: personRecipient(facts.family_id),
      languageOf: facts.family_id,
      template: 'LESSON_CANCELLED' as const,
      params: { programmeTitle: facts.programme_title, startsAt: facts.starts_at },
      subjectRef: `tutoring-booking:${facts.booking_id}`,
      dedupeKey: `LESSON_CANCELLED:${facts.booking_id}`,
    })),
  );
}

/** What an accreditation decision's notification needs of the request. */
export interface AccreditationForNotice {
  id: string;
  providerId: string;
  comuneId: string;
  /** The provider's admin who started the request: the message is in their language. */
  createdBy: string;
  status: string;
  validUntil: string | null;
  decisionReason: string | null;
}

/** The Comune decided a provider's accreditation request (ACCREDITED or REJECTED). */
export function notifyAccreditationDecided(
  tx: EntityManager,
  r: AccreditationForNotice,
): Promise<number> {
  return write(tx, [
    {
      comuneId: r.comuneId,
      recipient: providerRecipient(r.providerId),
      languageOf: r.createdBy,
      template: 'ACCREDITATION_DECIDED',
      params: {
        outcome: r.status === 'ACCREDITED' ? 'ACCREDITED' : 'REJECTED',
        validUntil: r.validUntil,
        reason: r.decisionReason ?? '',
      },
      subjectRef: `accreditation:${r.id}`,
      dedupeKey: `ACCREDITATION_DECIDED:${r.id}`,
    },
  ]);
}

/** What an offer's withdrawal or reinstatement notification needs of it. */
export interface OfferForNotice {
  id: string;
  providerId: string;
  comuneId: string;
  title: string;
  /** The provider's admin who created the offer: the message is in their language. */
  createdBy: string;
  /** The offer's version after the change (one message per withdrawal or reinstatement). */
  version: number;
}

/**
 * The Comune withdrew the provider's offer from its catalogue, with a reason: the provider's
 * admins are told. To be called in the transaction of the withdrawal.
 */
export function notifyOfferWithdrawnByComune(
  tx: EntityManager,
  o: OfferForNotice,
  reason: string,
): Promise<number> {
  return write(tx, [offerNotice(o, 'OFFER_WITHDRAWN_BY_COMUNE', { offerTitle: o.title, reason })]);
}

/** The Comune published again an offer it had withdrawn: the provider's admins are told. */
export function notifyOfferReinstated(tx: EntityManager, o: OfferForNotice): Promise<number> {
  return write(tx, [offerNotice(o, 'OFFER_REINSTATED', { offerTitle: o.title })]);
}

function offerNotice<T extends 'OFFER_WITHDRAWN_BY_COMUNE' | 'OFFER_REINSTATED'>(
  o: OfferForNotice,
  template: T,
  params: NotificationParams[T],
): Notice<NotificationTemplate> {
  return {
    comuneId: o.comuneId,
    recipient: providerRecipient(o.providerId),
    languageOf: o.createdBy,
    template,
    params,
    subjectRef: `offer:${o.id}`,
    dedupeKey: `${template}:${o.id}:${o.version}`,
  };
}

/** What a provider's message about a booking of its offers needs of the booking. */
export interface ProviderBookingForNotice {
  id: string;
  offerId: string;
  providerId: string;
  comuneId: string;
  offerTitle: string;
  serviceDate: string;
  quantity: number;
}

/**
 * A family asked to book one of the provider's offers: the provider's admins are told (in the
 * language of the admin who created the offer). To be called in the booking's transaction.
 */
export async function notifyBookingRequested(
  tx: EntityManager,
  b: ProviderBookingForNotice,
): Promise<number> {
  return write(tx, [
    await providerBookingNotice(tx, b, 'BOOKING_REQUESTED', {
      offerTitle: b.offerTitle,
      serviceDay: b.serviceDate,
      quantity: b.quantity,
    }),
  ]);
}

/**
 * The family cancelled its booking of one of the provider's offers: the provider's admins are
 * told (the place is free again). To be called in the cancellation's transaction.
 */
export async function notifyBookingCancelledByFamily(
  tx: EntityManager,
  b: ProviderBookingForNotice,
): Promise<number> {
  return write(tx, [
    await providerBookingNotice(tx, b, 'BOOKING_CANCELLED_BY_FAMILY', {
      offerTitle: b.offerTitle,
      serviceDay: b.serviceDate,
    }),
  ]);
}

async function providerBookingNotice<T extends 'BOOKING_REQUESTED' | 'BOOKING_CANCELLED_BY_FAMILY'>(
  tx: EntityManager,
  b: ProviderBookingForNotice,
  template: T,
  params: NotificationParams[T],
): Promise<Notice<NotificationTemplate>> {
  return {
    comuneId: b.comuneId,
    recipient: providerRecipient(b.providerId),
    // The offer's author, as for the Comune's withdrawal of the offer (none: Italian).
    languageOf: (await offerAuthor(tx, b.offerId)) ?? b.providerId,
    template,
    params,
    subjectRef: `offer-booking:${b.id}`,
    dedupeKey: `${template}:${b.id}`,
  };
}
