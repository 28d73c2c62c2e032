import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { isProviderAdmin, isUuid, requirePerson } from '@welfare/kit/access';
import { romeDay } from '@welfare/kit/dates';
import type { TutoringProgramme } from '../tutoring-programme/tutoring-programme.entity.js';
import {
  lockProgramme,
  releasePlannedMinutes,
} from '../tutoring-programme/tutoring-programme.repository.js';
import type { TutoringProgrammeService } from '../tutoring-programme/tutoring-programme.service.js';
import type { TutoringRoom } from '../tutoring-room/tutoring-room.entity.js';
import { findRoom } from '../tutoring-room/tutoring-room.repository.js';
import { canSeeProvider, isProviderTutor } from '../tutoring-shared/access.js';
import { overlapError, ROOM_BUSY, TUTOR_BUSY } from '../tutoring-shared/errors.js';
import { minutesBetween } from '../tutoring-shared/values.js';
import type { TutoringTutor } from '../tutoring-tutor/tutoring-tutor.entity.js';
import { findTutor } from '../tutoring-tutor/tutoring-tutor.repository.js';
import { TutoringLesson } from './tutoring-lesson.entity.js';
import {
  cancelBookingsOfLesson,
  checkSlot,
  findLesson,
  findLessonsOfProgramme,
  findLessonsTaughtBy,
  lockLesson,
  weeklyOccurrences,
  type Occurrence,
} from './tutoring-lesson.repository.js';
import { notifyLessonCancelled } from '../notification/notification.service.js';

export interface LessonPlanInput {
  programmeId: string;
  tutorId: string;
  roomId: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  /** Weekly occurrences (1 = a single lesson), all or nothing. */
  weeks?: number | null;
}

/** The Rome days of a planned series that cannot be planned, per reason, and its minutes. */
interface SeriesConflicts {
  total: number;
  outside: string[];
  outOfPeriod: string[];
  tutorBusy: string[];
  roomBusy: string[];
}

const MAX_WEEKS = 26;

export const lessonNotFound = () =>
  DomainError.notFound({ it: 'Lezione non trovata.', en: 'Lesson not found.' });

/** Checks what needs no database: times, duration, future start, weeks, ids. */
function validatePlan(input: LessonPlanInput, weeks: number, now: Date, errors: FieldErrors) {
  const start = input.startsAt;
  const end = input.endsAt;
  const startOk = start instanceof Date && !Number.isNaN(start.getTime());
  const endOk = end instanceof Date && !Number.isNaN(end.getTime());
  if (!startOk) errors.add('startsAt', 'Inizio non valido.', 'Invalid start.');
  if (!endOk) errors.add('endsAt', 'Fine non valida.', 'Invalid end.');
  if (startOk && endOk) {
    const minutes = minutesBetween(start, end);
    if (
      minutes < 15 ||
      minutes > 480 ||
      start.getTime() % 60_000 !== 0 ||
      end.getTime() % 60_000 !== 0
    ) {
      errors.add(
        'endsAt',
        'Una lezione dura da 15 minuti a 8 ore, a minuti interi.',
        'A lesson lasts 15 minutes to 8 hours, in whole minutes.',
      );
    }
    if (start.getTime() <= now.getTime()) {
      errors.add(
        'startsAt',
        'La lezione deve iniziare nel futuro.',
        'The lesson must start in the future.',
      );
    }
  }
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) {
    errors.add('weeks', `Da 1 a ${MAX_WEEKS} settimane.`, `1 to ${MAX_WEEKS} weeks.`);
  }
  if (!isUuid(input.tutorId)) errors.add('tutorId', 'Scegliere un tutor.', 'Choose a tutor.');
  if (!isUuid(input.roomId)) errors.add('roomId', 'Scegliere una stanza.', 'Choose a room.');
}

/** Seats from 1 to the programme's group size limit. */
function validateCapacity(capacity: number, programme: TutoringProgramme, errors: FieldErrors) {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > programme.groupSizeLimit) {
    errors.add(
      'capacity',
      `I posti vanno da 1 a ${programme.groupSizeLimit} (il limite del programma).`,
      `Seats go from 1 to ${programme.groupSizeLimit} (the programme's limit).`,
    );
  }
}

/** The first five days, then an ellipsis. */
const dayList = (days: string[]) => days.slice(0, 5).join(', ') + (days.length > 5 ? ', …' : '');

/** One field error per kind of conflict of the series, and one when it exceeds the budget. */
function addConflictErrors(
  errors: FieldErrors,
  c: SeriesConflicts,
  programme: TutoringProgramme,
): void {
  if (c.outside.length > 0) {
    errors.add(
      'startsAt',
      `Fuori dalla disponibilità della stanza: ${dayList(c.outside)}.`,
      `Outside the room's availability: ${dayList(c.outside)}.`,
    );
  }
  if (c.outOfPeriod.length > 0) {
    const period = `${programme.startsOn} – ${programme.endsOn}`;
    errors.add(
      'startsAt',
      `Fuori dal periodo del programma (${period}): ${dayList(c.outOfPeriod)}.`,
      `Outside the programme's period (${period}): ${dayList(c.outOfPeriod)}.`,
    );
  }
  if (c.tutorBusy.length > 0) {
    const days = dayList(c.tutorBusy);
    errors.add('tutorId', `${TUTOR_BUSY.it} (${days})`, `${TUTOR_BUSY.en} (${days})`);
  }
  if (c.roomBusy.length > 0) {
    const days = dayList(c.roomBusy);
    errors.add('roomId', `${ROOM_BUSY.it} (${days})`, `${ROOM_BUSY.en} (${days})`);
  }
  const remaining = programme.budgetMinutes - programme.plannedMinutes;
  if (c.total > remaining) {
    errors.add(
      'weeks',
      `Oltre il monte ore residuo del programma: servono ${c.total / 60} ore, ne restano ${remaining / 60}.`,
      `Beyond the programme's remaining budget: ${c.total / 60} hours needed, ${remaining / 60} left.`,
    );
  }
}

/**
 * Lessons: planned by the provider's ADMIN (single or weekly), public to read. What must never
 * happen under concurrency (a tutor or a room booked twice, more planned minutes than the
 * budget) is also refused by the database.
 */
export class TutoringLessonService {
  constructor(
    private readonly programmes: TutoringProgrammeService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The provider's ADMIN plans a lesson, or a weekly series of `weeks` lessons (same local time
   * each week), all or nothing. Refused with field errors (nothing written) when a lesson is
   * outside the room's availability or the programme's period, overlaps another lesson of the
   * same tutor or room (also refused by the database's exclusion constraints, mapped to the same
   * errors), or the series goes beyond the remaining budget.
   */
  async plan(em: EntityManager, caller: Caller, input: LessonPlanInput): Promise<TutoringLesson[]> {
    const person = requirePerson(caller);
    const weeks = input.weeks ?? 1;
    const errors = new FieldErrors();
    validatePlan(input, weeks, this.now(), errors);
    const programme = await this.programmes.forAdmin(em, person, input.programmeId);
    validateCapacity(input.capacity, programme, errors);
    try {
      return await em
        .fork()
        .transactional((tx) => this.planLocked(tx, person, input, programme.id, weeks, errors));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      return overlapError(err);
    }
  }

  /** The planning's transaction: the programme's row lock serialises plannings (and its budget). */
  private async planLocked(
    tx: EntityManager,
    person: PersonCaller,
    input: LessonPlanInput,
    programmeId: string,
    weeks: number,
    errors: FieldErrors,
  ): Promise<TutoringLesson[]> {
    const locked = (await lockProgramme(tx, programmeId))!;
    if (locked.status !== 'OPEN') {
      throw DomainError.conflict({ it: 'Il programma è chiuso.', en: 'The programme is closed.' });
    }
    const tutor = isUuid(input.tutorId)
      ? await findTutor(tx, { id: input.tutorId, programmeId: locked.id })
      : null;
    if (isUuid(input.tutorId) && !tutor) {
      errors.add('tutorId', 'Tutor non assegnato al programma.', 'Not a tutor of the programme.');
    }
    const room = isUuid(input.roomId)
      ? await findRoom(tx, { id: input.roomId, providerId: locked.providerId })
      : null;
    if (isUuid(input.roomId) && !room) {
      errors.add('roomId', 'Stanza non trovata.', 'Room not found.');
    }
    errors.throwIfAny();
    const occurrences = await weeklyOccurrences(tx, input.startsAt, input.endsAt, weeks);
    const conflicts = await this.seriesConflicts(tx, occurrences, tutor!, room!, locked);
    addConflictErrors(errors, conflicts, locked);
    errors.throwIfAny();
    const seriesId = weeks > 1 ? randomUUID() : null;
    const lessons = occurrences.map((o) =>
      tx.create(TutoringLesson, {
        programmeId: locked.id,
        providerId: locked.providerId,
        tutorId: tutor!.id,
        tutorPersonId: tutor!.personId,
        roomId: room!.id,
        seriesId,
        startsAt: new Date(o.starts_at),
        endsAt: new Date(o.ends_at),
        capacity: input.capacity,
        createdBy: person.personId,
      }),
    );
    locked.plannedMinutes += conflicts.total;
    await tx.flush();
    return lessons;
  }

  /** Checks each occurrence (room window, programme period, tutor and room free); the minutes. */
  private async seriesConflicts(
    tx: EntityManager,
    occurrences: Occurrence[],
    tutor: TutoringTutor,
    room: TutoringRoom,
    programme: TutoringProgramme,
  ): Promise<SeriesConflicts> {
    const c: SeriesConflicts = {
      total: 0,
      outside: [],
      outOfPeriod: [],
      tutorBusy: [],
      roomBusy: [],
    };
    for (const o of occurrences) {
      const start = new Date(o.starts_at);
      const end = new Date(o.ends_at);
      c.total += minutesBetween(start, end);
      const day = romeDay(start);
      const check = await checkSlot(tx, {
        roomId: room.id,
        tutorPersonId: tutor.personId,
        start,
        end,
        day,
      });
      if (!check.available || !check.same_day) c.outside.push(day);
      if (day < programme.startsOn || day > programme.endsOn) c.outOfPeriod.push(day);
      if (check.tutor_busy) c.tutorBusy.push(day);
      if (check.room_busy) c.roomBusy.push(day);
    }
    return c;
  }

  /**
   * The provider's ADMIN cancels a lesson that has not started: its bookings are cancelled and
   * its minutes return to the budget. Idempotent.
   */
  async cancel(em: EntityManager, caller: Caller, lessonId: string): Promise<TutoringLesson> {
    const person = requirePerson(caller);
    return em.fork().transactional(async (tx) => {
      const lesson = await lockLesson(tx, lessonId);
      if (!lesson || !isProviderAdmin(person, lesson.providerId)) {
        if (lesson && isProviderTutor(person, lesson.providerId)) throw DomainError.forbidden();
        throw lessonNotFound();
      }
      if (lesson.status === 'CANCELLED') return lesson;
      if (lesson.startsAt.getTime() <= this.now().getTime()) {
        throw DomainError.conflict({
          it: 'La lezione è già iniziata: non si può annullare.',
          en: 'The lesson has already started: it cannot be cancelled.',
        });
      }
      const at = this.now();
      await notifyLessonCancelled(tx, lesson.id);
      await cancelBookingsOfLesson(tx, lesson.id, at);
      await releasePlannedMinutes(
        tx,
        lesson.programmeId,
        minutesBetween(lesson.startsAt, lesson.endsAt),
      );
      lesson.status = 'CANCELLED';
      lesson.cancelledAt = at;
      lesson.seatsTaken = 0;
      await tx.flush();
      return lesson;
    });
  }

  /** A lesson by id (public: times, seats, room, tutor's name). */
  async get(em: EntityManager, id: string): Promise<TutoringLesson | null> {
    return findLesson(em, id);
  }

  /**
   * A programme's lessons by start: public. `upcoming` keeps planned lessons not yet started;
   * otherwise every lesson (also cancelled) between `from` and `to`.
   */
  async ofProgramme(
    em: EntityManager,
    programmeId: string,
    options: { upcoming?: boolean; from?: Date | null; to?: Date | null } = {},
  ): Promise<TutoringLesson[]> {
    if (!isUuid(programmeId)) return [];
    return findLessonsOfProgramme(
      em,
      programmeId,
      options.upcoming ? { plannedAfter: this.now() } : { from: options.from, to: options.to },
    );
  }

  /** The lessons of programmes of the caller's provider that the caller teaches (a TUTOR). */
  async taughtBy(em: EntityManager, caller: Caller, from: Date | null): Promise<TutoringLesson[]> {
    const person = requirePerson(caller);
    const rows = await findLessonsTaughtBy(em, person.personId, from);
    return rows.filter((l) => canSeeProvider(person, l.providerId));
  }
}
