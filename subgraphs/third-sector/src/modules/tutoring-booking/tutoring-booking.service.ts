import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller, type PersonCaller } from '@welfare/kit';
import { isUuid, requirePerson } from '@welfare/kit/access';
import { sqlState } from '../shared/db-errors.js';
import type { TutoringEnrolment } from '../tutoring-enrolment/tutoring-enrolment.entity.js';
import { findEnrolment } from '../tutoring-enrolment/tutoring-enrolment.repository.js';
import type { TutoringLesson } from '../tutoring-lesson/tutoring-lesson.entity.js';
import { findLessonsById, lockLesson } from '../tutoring-lesson/tutoring-lesson.repository.js';
import { lessonNotFound } from '../tutoring-lesson/tutoring-lesson.service.js';
import type { TutoringProgramme } from '../tutoring-programme/tutoring-programme.entity.js';
import {
  findProgramme,
  findProgrammesById,
} from '../tutoring-programme/tutoring-programme.repository.js';
import type { TutoringRoom } from '../tutoring-room/tutoring-room.entity.js';
import { findRoomsById } from '../tutoring-room/tutoring-room.repository.js';
import { canSeeProvider, requireFamily } from '../tutoring-shared/access.js';
import { overlapError, PUPIL_BUSY } from '../tutoring-shared/errors.js';
import { findTutorsById } from '../tutoring-tutor/tutoring-tutor.repository.js';
import { TutoringBooking } from './tutoring-booking.entity.js';
import {
  countWaitlisted,
  findBooking,
  findBookingView,
  findBookingViews,
  findLiveBooking,
  isPupilSeatedBetween,
  lockNextWaitlisted,
  seatBooking,
  type BookingView,
} from './tutoring-booking.repository.js';
import { notifySeatFreed } from '../notification/notification.service.js';

/** A family's booking with what it needs to show it. */
export interface FamilyBookingRow {
  booking: TutoringBooking;
  lesson: TutoringLesson;
  programme: TutoringProgramme;
  enrolment: TutoringEnrolment;
  room: TutoringRoom;
  tutorName: string;
  /** 1-based place on the waitlist while WAITLISTED. */
  waitlistPosition: number | null;
}

const bookingNotFound = () =>
  DomainError.notFound({ it: 'Prenotazione non trovata.', en: 'Booking not found.' });

const alreadyBooked = () =>
  DomainError.conflict({
    it: 'L’alunno ha già una prenotazione per questa lezione.',
    en: 'The pupil already has a booking for this lesson.',
  });

/** The distinct values of a list. */
const distinct = (values: string[]) => [...new Set(values)];

/**
 * Bookings of lessons: a family books a seat for its enrolled pupil, or a place on the waitlist
 * (first come, first served); a seat freed by a cancellation goes at once to the first on the
 * waitlist. Every change runs under the lesson's row lock; more seats than the capacity and a
 * pupil seated twice at once are also refused by the database.
 */
export class TutoringBookingService {
  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * A family books a lesson for its enrolled pupil: under the lesson's row lock, a seat when one
   * is free, otherwise the next place on the waitlist. Refused when the pupil already holds a
   * seat in an overlapping lesson (a database exclusion constraint too).
   */
  async book(
    em: EntityManager,
    caller: Caller,
    lessonId: string,
    enrolmentId: string,
  ): Promise<TutoringBooking> {
    const person = requireFamily(caller);
    const enrolment = isUuid(enrolmentId)
      ? await findEnrolment(em, { id: enrolmentId, familyId: person.personId })
      : null;
    if (!enrolment) {
      throw DomainError.badInput([
        {
          field: 'pupilId',
          message: { it: 'Scegliere un alunno iscritto.', en: 'Choose an enrolled pupil.' },
        },
      ]);
    }
    try {
      return await em
        .fork()
        .transactional((tx) => this.bookLocked(tx, person, lessonId, enrolment));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if (sqlState(err) === '23505') throw alreadyBooked();
      return overlapError(err);
    }
  }

  /** The booking's transaction, under the lesson's row lock: checks, then a seat or the waitlist. */
  private async bookLocked(
    tx: EntityManager,
    person: PersonCaller,
    lessonId: string,
    enrolment: TutoringEnrolment,
  ): Promise<TutoringBooking> {
    const lesson = await lockLesson(tx, lessonId);
    if (!lesson) throw lessonNotFound();
    if (lesson.programmeId !== enrolment.programmeId) {
      throw DomainError.badInput([
        {
          field: 'pupilId',
          message: {
            it: 'L’alunno non è iscritto al programma di questa lezione.',
            en: 'The pupil is not enrolled in this lesson’s programme.',
          },
        },
      ]);
    }
    if (lesson.status !== 'PLANNED' || lesson.startsAt.getTime() <= this.now().getTime()) {
      throw DomainError.conflict({
        it: 'La lezione non è più prenotabile.',
        en: 'The lesson can no longer be booked.',
      });
    }
    if (await findLiveBooking(tx, lesson.id, enrolment.id)) throw alreadyBooked();
    if (await isPupilSeatedBetween(tx, enrolment.id, lesson.startsAt, lesson.endsAt)) {
      throw DomainError.badInput([{ field: 'pupilId', message: PUPIL_BUSY }]);
    }
    const seat = lesson.seatsTaken < lesson.capacity;
    const at = this.now();
    const booking = tx.create(TutoringBooking, {
      lessonId: lesson.id,
      programmeId: lesson.programmeId,
      enrolmentId: enrolment.id,
      familyId: person.personId,
      startsAt: lesson.startsAt,
      endsAt: lesson.endsAt,
      status: seat ? 'SEATED' : 'WAITLISTED',
      seatedAt: seat ? at : null,
    });
    if (seat) lesson.seatsTaken += 1;
    await tx.flush();
    return booking;
  }

  /**
   * The family cancels its booking. A seat can be given up until the programme's notice before
   * the start (CONFLICT later); a freed seat goes at once to the first on the waitlist (in the
   * same transaction). Leaving the waitlist is possible until the start. Idempotent.
   */
  async cancel(em: EntityManager, caller: Caller, bookingId: string): Promise<TutoringBooking> {
    const person = requirePerson(caller);
    const found = isUuid(bookingId)
      ? await findBooking(em, { id: bookingId, familyId: person.personId })
      : null;
    if (!found) throw bookingNotFound();
    return em.fork().transactional(async (tx) => {
      const lesson = (await lockLesson(tx, found.lessonId))!;
      const booking = (await findBooking(tx, { id: found.id }, true))!;
      if (booking.status === 'CANCELLED') return booking;
      const programme = (await findProgramme(tx, lesson.programmeId))!;
      const now = this.now().getTime();
      if (booking.status === 'SEATED') {
        const deadline = lesson.startsAt.getTime() - programme.cancellationNoticeHours * 3_600_000;
        if (now > deadline) {
          throw DomainError.conflict({
            it: `Non si può più disdire: il preavviso è di ${programme.cancellationNoticeHours} ore prima dell’inizio.`,
            en: `Too late to cancel: the notice is ${programme.cancellationNoticeHours} hours before the start.`,
          });
        }
      } else if (now >= lesson.startsAt.getTime()) {
        throw DomainError.conflict({
          it: 'La lezione è già iniziata.',
          en: 'The lesson has already started.',
        });
      }
      const wasSeated = booking.status === 'SEATED';
      booking.status = 'CANCELLED';
      booking.cancelledAt = this.now();
      if (wasSeated) lesson.seatsTaken -= 1;
      await tx.flush();
      if (wasSeated) await this.promote(tx, lesson);
      return booking;
    });
  }

  /** Seats the first pupils on the waitlist while seats are free (skipping a pupil now busy). */
  private async promote(tx: EntityManager, lesson: TutoringLesson): Promise<void> {
    if (lesson.status !== 'PLANNED' || lesson.startsAt.getTime() <= this.now().getTime()) return;
    while (lesson.seatsTaken < lesson.capacity) {
      const next = await lockNextWaitlisted(tx, lesson.id);
      if (!next) return;
      await seatBooking(tx, next, this.now());
      await notifySeatFreed(tx, next);
      lesson.seatsTaken += 1;
      await tx.flush();
    }
  }

  /** The family's bookings with lesson, programme, pupil and room, by lesson start. */
  async ofFamily(em: EntityManager, caller: Caller): Promise<FamilyBookingRow[]> {
    const person = requirePerson(caller);
    const rows = await findBookingViews(em, { familyId: person.personId });
    if (rows.length === 0) return [];
    const lessons = await findLessonsById(em, distinct(rows.map((r) => r.booking.lessonId)));
    const programmes = await findProgrammesById(
      em,
      distinct(rows.map((r) => r.booking.programmeId)),
    );
    const rooms = await findRoomsById(em, distinct([...lessons.values()].map((l) => l.roomId)));
    const tutors = await findTutorsById(em, distinct([...lessons.values()].map((l) => l.tutorId)));
    return rows.map((r) => {
      const lesson = lessons.get(r.booking.lessonId)!;
      return {
        booking: r.booking,
        enrolment: r.enrolment,
        lesson,
        programme: programmes.get(r.booking.programmeId)!,
        room: rooms.get(lesson.roomId)!,
        tutorName: tutors.get(lesson.tutorId)!.displayName,
        waitlistPosition: r.position,
      };
    });
  }

  /**
   * A lesson's bookings (seats then waitlist, in order) with the pupils: for the provider's
   * ADMIN and TUTORs only (null for anyone else).
   */
  async ofLesson(
    em: EntityManager,
    caller: Caller,
    lesson: TutoringLesson,
  ): Promise<BookingView[] | null> {
    if (!canSeeProvider(caller, lesson.providerId)) return null;
    return findBookingViews(em, { lessonId: lesson.id });
  }

  /** A booking with its pupil and waitlist place (for a mutation's answer). */
  async view(em: EntityManager, booking: TutoringBooking): Promise<BookingView> {
    return findBookingView(em, booking);
  }

  /** Waitlisted bookings per lesson. */
  async waitlistCounts(em: EntityManager, lessonIds: string[]): Promise<Map<string, number>> {
    return countWaitlisted(em, lessonIds);
  }

  /** True while the family may still give up the booking (notice for a seat, start for a wait). */
  cancellable(booking: TutoringBooking, lesson: TutoringLesson, programme: TutoringProgramme) {
    if (booking.status === 'CANCELLED' || lesson.status !== 'PLANNED') return false;
    const now = this.now().getTime();
    if (booking.status === 'WAITLISTED') return now < lesson.startsAt.getTime();
    return now <= lesson.startsAt.getTime() - programme.cancellationNoticeHours * 3_600_000;
  }
}
