import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import {
  isComuneStaff,
  isProviderAdmin,
  isUuid,
  requireComuneManager,
  requireComuneStaff,
  requirePerson,
} from '../shared/access.js';
import type { AccreditationService } from '../accreditation/accreditation.service.js';
import { isIsoDate, romeDay } from '../shared/dates.js';
import { buildCalendar } from './ical.js';
import { isProviderTutor } from './tutoring.access.js';
import {
  ATTENDANCES,
  TutoringBooking,
  TutoringEnrolment,
  TutoringLesson,
  TutoringProgramme,
  TutoringRoom,
  TutoringRoomWindow,
  TutoringTutor,
  type Attendance,
  type BookingStatus,
  type ProgrammeStatus,
} from './tutoring.entities.js';

const S = '"third_sector"';
const ROME = 'Europe/Rome';

export interface ProgrammeInput {
  comuneId: string;
  providerId: string;
  title: string;
  description?: string | null;
  startsOn: string;
  endsOn: string;
  /** The budget of hours, in minutes (integer > 0). */
  budgetMinutes: number;
  groupSizeLimit?: number | null;
  cancellationNoticeHours?: number | null;
}

export interface ProgrammeUpdate {
  title: string;
  description?: string | null;
  startsOn: string;
  endsOn: string;
  budgetMinutes: number;
  groupSizeLimit?: number | null;
  cancellationNoticeHours?: number | null;
  status?: ProgrammeStatus | null;
}

export interface WindowInput {
  weekday: number;
  /** `HH:MM`, Rome local time. */
  startsAt: string;
  endsAt: string;
  validFrom?: string | null;
  validUntil?: string | null;
}

export interface RoomInput {
  providerId: string;
  /** Edit this room (its windows are replaced); a new room without it. */
  id?: string | null;
  name: string;
  address: string;
  windows: WindowInput[];
}

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

export interface EnrolmentInput {
  programmeId: string;
  firstName: string;
  lastName: string;
  schoolClass: string;
}

export interface AttendanceMark {
  bookingId: string;
  attendance: Attendance;
}

/** A lesson as lists show it: seats, waitlist, the tutor's name and the room. */
export interface LessonRow {
  lesson: TutoringLesson;
  waitlisted: number;
}

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

/** One lesson line of the hours report. */
export interface ReportLesson {
  lessonId: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  tutorName: string;
  roomName: string;
  minutes: number;
  seated: number;
  present: number;
  absent: number;
  justified: number;
  unmarked: number;
  held: boolean;
}

export interface ReportTutor {
  tutorId: string;
  tutorName: string;
  lessonsHeld: number;
  minutesDelivered: number;
}

/** The hours report of a programme for its funder. */
export interface TutoringReport {
  programme: TutoringProgramme;
  lessonsPlanned: number;
  lessonsHeld: number;
  tutorMinutesDelivered: number;
  pupilMinutesPresent: number;
  pupilMinutesAbsent: number;
  pupilMinutesJustified: number;
  budgetMinutes: number;
  plannedMinutes: number;
  usedMinutes: number;
  remainingMinutes: number;
  tutors: ReportTutor[];
  lessons: ReportLesson[];
}

const MAX_WEEKS = 26;
const MAX_WINDOWS = 30;

const programmeNotFound = () =>
  DomainError.notFound({
    it: 'Programma di tutoraggio non trovato.',
    en: 'Tutoring programme not found.',
  });
const lessonNotFound = () =>
  DomainError.notFound({ it: 'Lezione non trovata.', en: 'Lesson not found.' });
const bookingNotFound = () =>
  DomainError.notFound({ it: 'Prenotazione non trovata.', en: 'Booking not found.' });

const sqlState = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; sqlState?: unknown };
  return typeof e.code === 'string'
    ? e.code
    : typeof e.sqlState === 'string'
      ? e.sqlState
      : undefined;
};
const constraintOf = (err: unknown): string => {
  const e = err as { constraint?: unknown; message?: unknown };
  if (typeof e.constraint === 'string') return e.constraint;
  const match = /constraint "([^"]+)"/.exec(typeof e.message === 'string' ? e.message : '');
  return match?.[1] ?? '';
};

const TUTOR_BUSY = {
  it: 'Il tutor ha già una lezione in quell’orario.',
  en: 'The tutor already has a lesson at that time.',
} as const;
const ROOM_BUSY = {
  it: 'La stanza è già occupata in quell’orario.',
  en: 'The room is already taken at that time.',
} as const;
const PUPIL_BUSY = {
  it: 'L’alunno ha già un posto in una lezione nello stesso orario.',
  en: 'The pupil already holds a seat in a lesson at the same time.',
} as const;

/** Maps an exclusion violation of the tutoring tables to its field error (or rethrows). */
function overlapError(err: unknown): never {
  if (sqlState(err) === '23P01') {
    const name = constraintOf(err);
    if (name === 'tutoring_lesson_tutor_overlap') {
      throw DomainError.badInput([{ field: 'tutorId', message: TUTOR_BUSY }]);
    }
    if (name === 'tutoring_lesson_room_overlap') {
      throw DomainError.badInput([{ field: 'roomId', message: ROOM_BUSY }]);
    }
    if (name === 'tutoring_booking_pupil_overlap') {
      throw DomainError.badInput([{ field: 'pupilId', message: PUPIL_BUSY }]);
    }
  }
  throw err;
}

/** `HH:MM` (24 h). */
function isClock(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

function cleanText(value: string | null | undefined): string {
  return (value ?? '').trim();
}

function minutesBetween(start: Date, end: Date): number {
  return Math.round((end.getTime() - start.getTime()) / 60_000);
}

/**
 * Tutoring: programmes funded by a Comune and run by an accredited provider, tutors, rooms with
 * availability, lessons (single or weekly), enrolments, bookings with a waitlist, the attendance
 * register and the hours report. Every change is one transaction; what must never happen under
 * concurrency (a tutor or a room booked twice, more seats than the capacity, more planned
 * minutes than the budget) is also refused by the database.
 */
export class TutoringService {
  constructor(
    private readonly accreditations: AccreditationService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ---- programmes -----------------------------------------------------------------------------

  private validateProgramme(
    input: ProgrammeUpdate | ProgrammeInput,
    errors: FieldErrors,
  ): {
    title: string;
    description: string;
    groupSizeLimit: number;
    cancellationNoticeHours: number;
  } {
    const title = cleanText(input.title);
    const description = cleanText(input.description);
    if (title.length < 3 || title.length > 200) {
      errors.add(
        'title',
        'Il titolo va da 3 a 200 caratteri.',
        'The title takes 3 to 200 characters.',
      );
    }
    if (description.length > 4000) {
      errors.add(
        'description',
        'La descrizione supera 4000 caratteri.',
        'The description is over 4000 characters.',
      );
    }
    const startsOk = isIsoDate(input.startsOn);
    const endsOk = isIsoDate(input.endsOn);
    if (!startsOk) errors.add('startsOn', 'Data di inizio non valida.', 'Invalid start date.');
    if (!endsOk) errors.add('endsOn', 'Data di fine non valida.', 'Invalid end date.');
    if (startsOk && endsOk && input.endsOn < input.startsOn) {
      errors.add(
        'endsOn',
        'La fine non può precedere l’inizio.',
        'The end cannot come before the start.',
      );
    }
    if (
      !Number.isInteger(input.budgetMinutes) ||
      input.budgetMinutes < 1 ||
      input.budgetMinutes > 6_000_000
    ) {
      errors.add(
        'budgetMinutes',
        'Il monte ore è un numero intero di minuti maggiore di zero (al massimo 100.000 ore).',
        'The budget is a whole number of minutes above zero (at most 100,000 hours).',
      );
    }
    const groupSizeLimit = input.groupSizeLimit ?? 3;
    if (!Number.isInteger(groupSizeLimit) || groupSizeLimit < 1 || groupSizeLimit > 10) {
      errors.add(
        'groupSizeLimit',
        'Il gruppo va da 1 a 10 alunni.',
        'A group takes 1 to 10 pupils.',
      );
    }
    const cancellationNoticeHours = input.cancellationNoticeHours ?? 24;
    if (
      !Number.isInteger(cancellationNoticeHours) ||
      cancellationNoticeHours < 0 ||
      cancellationNoticeHours > 720
    ) {
      errors.add(
        'cancellationNoticeHours',
        'Il preavviso va da 0 a 720 ore.',
        'The notice takes 0 to 720 hours.',
      );
    }
    return { title, description, groupSizeLimit, cancellationNoticeHours };
  }

  /**
   * The Comune's MANAGER creates a programme run by a provider the Comune accredits today.
   * BAD_USER_INPUT lists every invalid field (nothing written).
   */
  async createProgramme(
    em: EntityManager,
    caller: Caller,
    input: ProgrammeInput,
  ): Promise<TutoringProgramme> {
    const person = requireComuneManager(caller, input.comuneId);
    const errors = new FieldErrors();
    const clean = this.validateProgramme(input, errors);
    if (
      !isUuid(input.providerId) ||
      !(await this.accreditations.isAccredited(em, input.providerId, input.comuneId, this.now()))
    ) {
      errors.add(
        'providerId',
        'L’ente non è accreditato presso il Comune.',
        'The provider is not accredited with the Comune.',
      );
    }
    errors.throwIfAny();
    return em.fork().transactional(async (tx) => {
      const row = tx.create(TutoringProgramme, {
        comuneId: input.comuneId,
        providerId: input.providerId,
        title: clean.title,
        description: clean.description,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        budgetMinutes: input.budgetMinutes,
        groupSizeLimit: clean.groupSizeLimit,
        cancellationNoticeHours: clean.cancellationNoticeHours,
        createdBy: person.personId,
      });
      await tx.flush();
      return row;
    });
  }

  /**
   * The Comune's MANAGER edits a programme. The budget cannot fall below the minutes already
   * planned, nor the group limit below a planned lesson's capacity.
   */
  async updateProgramme(
    em: EntityManager,
    caller: Caller,
    id: string,
    input: ProgrammeUpdate,
  ): Promise<TutoringProgramme> {
    const person = requirePerson(caller);
    return em.fork().transactional(async (tx) => {
      const row = await this.lockProgramme(tx, id);
      if (!row || !isComuneStaff(person, row.comuneId)) throw programmeNotFound();
      requireComuneManager(person, row.comuneId);
      const errors = new FieldErrors();
      const clean = this.validateProgramme(input, errors);
      if (Number.isInteger(input.budgetMinutes) && input.budgetMinutes < row.plannedMinutes) {
        errors.add(
          'budgetMinutes',
          `Il monte ore non può scendere sotto le ore già programmate (${row.plannedMinutes / 60}).`,
          `The budget cannot fall below the hours already planned (${row.plannedMinutes / 60}).`,
        );
      }
      const [biggest] = await tx.execute<{ max: number | null }[]>(
        `select max(capacity) as max from ${S}."tutoring_lesson" where programme_id = ? and status = 'PLANNED'`,
        [row.id],
      );
      if (isIsoDate(input.startsOn) && isIsoDate(input.endsOn)) {
        const [outside] = await tx.execute<{ n: string }[]>(
          `select count(*) as n from ${S}."tutoring_lesson"
            where programme_id = ? and status = 'PLANNED'
              and ((starts_at at time zone '${ROME}')::date < ?::date or (starts_at at time zone '${ROME}')::date > ?::date)`,
          [row.id, input.startsOn, input.endsOn],
        );
        if (Number(outside?.n ?? 0) > 0) {
          errors.add(
            'endsOn',
            `Ci sono lezioni programmate fuori dal nuovo periodo (${outside!.n}): annullarle prima.`,
            `Some planned lessons fall outside the new period (${outside!.n}): cancel them first.`,
          );
        }
      }
      if (biggest?.max && clean.groupSizeLimit < biggest.max) {
        errors.add(
          'groupSizeLimit',
          `Ci sono lezioni con ${biggest.max} posti.`,
          `Some lessons have ${biggest.max} seats.`,
        );
      }
      errors.throwIfAny();
      Object.assign(row, {
        title: clean.title,
        description: clean.description,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        budgetMinutes: input.budgetMinutes,
        groupSizeLimit: clean.groupSizeLimit,
        cancellationNoticeHours: clean.cancellationNoticeHours,
        status: input.status ?? row.status,
        version: row.version + 1,
      });
      await tx.flush();
      return row;
    });
  }

  private async lockProgramme(tx: EntityManager, id: string): Promise<TutoringProgramme | null> {
    if (!isUuid(id)) return null;
    const [raw] = await tx.execute<{ id: string }[]>(
      `select id from ${S}."tutoring_programme" where id = ? for update`,
      [id],
    );
    if (!raw) return null;
    return tx.findOne(TutoringProgramme, { id }, { refresh: true });
  }

  /** A programme by id: public (citizens enrol). */
  async programme(em: EntityManager, id: string): Promise<TutoringProgramme | null> {
    if (!isUuid(id)) return null;
    return em.findOne(TutoringProgramme, { id });
  }

  /** OPEN programmes not yet ended, of a Comune or all: public. */
  async openProgrammes(em: EntityManager, comuneId: string | null): Promise<TutoringProgramme[]> {
    if (comuneId !== null && !isUuid(comuneId)) return [];
    return em.find(
      TutoringProgramme,
      {
        status: 'OPEN',
        endsOn: { $gte: romeDay(this.now()) },
        ...(comuneId ? { comuneId } : {}),
      },
      { orderBy: { startsOn: 'asc', title: 'asc' }, limit: 200 },
    );
  }

  /** The programmes a Comune funds (its staff only: FORBIDDEN otherwise). */
  async comuneProgrammes(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
  ): Promise<TutoringProgramme[]> {
    requireComuneStaff(caller, comuneId);
    return em.find(
      TutoringProgramme,
      { comuneId },
      { orderBy: { startsOn: 'desc', title: 'asc' }, limit: 500 },
    );
  }

  /** The programmes a provider runs (its ADMIN and TUTOR members only: FORBIDDEN otherwise). */
  async providerProgrammes(
    em: EntityManager,
    caller: Caller,
    providerId: string,
  ): Promise<TutoringProgramme[]> {
    requirePerson(caller);
    if (!isUuid(providerId)) {
      throw DomainError.badInput([
        { field: 'providerId', message: { it: 'Identificativo non valido.', en: 'Malformed id.' } },
      ]);
    }
    if (!isProviderAdmin(caller, providerId) && !isProviderTutor(caller, providerId)) {
      throw DomainError.forbidden();
    }
    return em.find(
      TutoringProgramme,
      { providerId },
      { orderBy: { startsOn: 'desc', title: 'asc' }, limit: 500 },
    );
  }

  /** True when the caller may see the programme's people (tutors' lessons, bookings). */
  canSeeProvider(caller: Caller, providerId: string): boolean {
    return isProviderAdmin(caller, providerId) || isProviderTutor(caller, providerId);
  }

  // ---- tutors and rooms -----------------------------------------------------------------------

  /** A programme for its provider's ADMIN (NOT_FOUND for anyone else). */
  private async programmeForAdmin(
    em: EntityManager,
    caller: Caller,
    programmeId: string,
  ): Promise<TutoringProgramme> {
    const row = await this.programme(em, programmeId);
    if (!row) throw programmeNotFound();
    if (!isProviderAdmin(caller, row.providerId)) {
      if (this.canSeeProvider(caller, row.providerId)) throw DomainError.forbidden();
      throw programmeNotFound();
    }
    return row;
  }

  /**
   * The provider's ADMIN assigns a TUTOR member to a programme (idempotent for the same person:
   * the display name is updated).
   */
  async assignTutor(
    em: EntityManager,
    caller: Caller,
    programmeId: string,
    personId: string,
    displayName: string,
  ): Promise<TutoringTutor> {
    requirePerson(caller);
    const programme = await this.programmeForAdmin(em, caller, programmeId);
    const errors = new FieldErrors();
    const name = cleanText(displayName);
    if (!isUuid(personId)) errors.add('personId', 'Scegliere un tutor.', 'Choose a tutor.');
    if (name.length < 2 || name.length > 120) {
      errors.add(
        'displayName',
        'Il nome va da 2 a 120 caratteri.',
        'The name takes 2 to 120 characters.',
      );
    }
    errors.throwIfAny();
    return em.fork().transactional(async (tx) => {
      const existing = await tx.findOne(TutoringTutor, { programmeId: programme.id, personId });
      if (existing) {
        existing.displayName = name;
        await tx.flush();
        return existing;
      }
      const row = tx.create(TutoringTutor, {
        programmeId: programme.id,
        providerId: programme.providerId,
        personId,
        displayName: name,
      });
      await tx.flush();
      return row;
    });
  }

  /** A programme's tutors, by name. */
  async tutors(em: EntityManager, programmeId: string): Promise<TutoringTutor[]> {
    return em.find(TutoringTutor, { programmeId }, { orderBy: { displayName: 'asc' } });
  }

  async tutorById(em: EntityManager, id: string): Promise<TutoringTutor | null> {
    return em.findOne(TutoringTutor, { id });
  }

  /**
   * The provider's ADMIN adds a room, or edits one of its rooms (the weekly windows are
   * replaced; lessons already planned stay). Every invalid field at once, nothing written.
   */
  async saveRoom(em: EntityManager, caller: Caller, input: RoomInput): Promise<TutoringRoom> {
    requirePerson(caller);
    if (!isUuid(input.providerId) || !isProviderAdmin(caller, input.providerId)) {
      throw DomainError.forbidden();
    }
    const errors = new FieldErrors();
    const name = cleanText(input.name);
    const address = cleanText(input.address);
    if (name.length < 3 || name.length > 200) {
      errors.add('name', 'Il nome va da 3 a 200 caratteri.', 'The name takes 3 to 200 characters.');
    }
    if (address.length < 3 || address.length > 300) {
      errors.add(
        'address',
        'L’indirizzo va da 3 a 300 caratteri.',
        'The address takes 3 to 300 characters.',
      );
    }
    if (input.windows.length === 0 || input.windows.length > MAX_WINDOWS) {
      errors.add(
        'windows',
        `Indicare da 1 a ${MAX_WINDOWS} fasce di disponibilità.`,
        `Give 1 to ${MAX_WINDOWS} availability windows.`,
      );
    }
    input.windows.forEach((w, i) => {
      const at = `windows.${i}`;
      if (!Number.isInteger(w.weekday) || w.weekday < 1 || w.weekday > 7) {
        errors.add(`${at}.weekday`, 'Giorno non valido.', 'Invalid weekday.');
      }
      const startOk = isClock(w.startsAt);
      const endOk = isClock(w.endsAt);
      if (!startOk)
        errors.add(`${at}.startsAt`, 'Ora non valida (HH:MM).', 'Invalid time (HH:MM).');
      if (!endOk) errors.add(`${at}.endsAt`, 'Ora non valida (HH:MM).', 'Invalid time (HH:MM).');
      if (startOk && endOk && w.endsAt <= w.startsAt) {
        errors.add(
          `${at}.endsAt`,
          'La fine deve seguire l’inizio.',
          'The end must follow the start.',
        );
      }
      if (w.validFrom && !isIsoDate(w.validFrom)) {
        errors.add(`${at}.validFrom`, 'Data non valida.', 'Invalid date.');
      }
      if (w.validUntil && !isIsoDate(w.validUntil)) {
        errors.add(`${at}.validUntil`, 'Data non valida.', 'Invalid date.');
      }
      if (w.validFrom && w.validUntil && w.validUntil < w.validFrom) {
        errors.add(`${at}.validUntil`, 'La fine precede l’inizio.', 'The end precedes the start.');
      }
    });
    if (input.id && !isUuid(input.id)) errors.add('id', 'Stanza non trovata.', 'Room not found.');
    errors.throwIfAny();
    try {
      return await em.fork().transactional(async (tx) => {
        let room: TutoringRoom;
        if (input.id) {
          const existing = await tx.findOne(TutoringRoom, {
            id: input.id,
            providerId: input.providerId,
          });
          if (!existing)
            throw DomainError.notFound({ it: 'Stanza non trovata.', en: 'Room not found.' });
          existing.name = name;
          existing.address = address;
          await tx.nativeDelete(TutoringRoomWindow, { roomId: existing.id });
          room = existing;
        } else {
          room = tx.create(TutoringRoom, { providerId: input.providerId, name, address });
        }
        // The room first: its windows reference it (the entities declare no relation).
        await tx.flush();
        for (const w of input.windows) {
          tx.create(TutoringRoomWindow, {
            roomId: room.id,
            weekday: w.weekday,
            startsAt: w.startsAt,
            endsAt: w.endsAt,
            validFrom: w.validFrom || null,
            validUntil: w.validUntil || null,
          });
        }
        await tx.flush();
        return room;
      });
    } catch (err) {
      if (sqlState(err) === '23505') {
        throw DomainError.badInput([
          {
            field: 'name',
            message: {
              it: 'Esiste già una stanza con questo nome.',
              en: 'There is already a room with this name.',
            },
          },
        ]);
      }
      throw err;
    }
  }

  /** The provider's rooms (its ADMIN and TUTORs: FORBIDDEN otherwise). */
  async rooms(em: EntityManager, caller: Caller, providerId: string): Promise<TutoringRoom[]> {
    requirePerson(caller);
    if (!isUuid(providerId) || !this.canSeeProvider(caller, providerId)) {
      throw DomainError.forbidden();
    }
    return em.find(TutoringRoom, { providerId }, { orderBy: { name: 'asc' } });
  }

  async roomById(em: EntityManager, id: string): Promise<TutoringRoom | null> {
    return em.findOne(TutoringRoom, { id });
  }

  async windows(em: EntityManager, roomId: string): Promise<TutoringRoomWindow[]> {
    return em.find(
      TutoringRoomWindow,
      { roomId },
      { orderBy: { weekday: 'asc', startsAt: 'asc' } },
    );
  }

  // ---- lessons ---------------------------------------------------------------------------------

  /**
   * The provider's ADMIN plans a lesson, or a weekly series of `weeks` lessons (same local time
   * each week), all or nothing. Refused with field errors (nothing written) when a lesson is
   * outside the room's availability or the programme's period, overlaps another lesson of the
   * same tutor or room (also refused by the database's exclusion constraints, mapped to the same
   * errors), or the series goes beyond the remaining budget.
   */
  async planLessons(
    em: EntityManager,
    caller: Caller,
    input: LessonPlanInput,
  ): Promise<TutoringLesson[]> {
    const person = requirePerson(caller);
    const weeks = input.weeks ?? 1;
    const start = input.startsAt;
    const end = input.endsAt;
    const errors = new FieldErrors();
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
      if (start.getTime() <= this.now().getTime()) {
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
    const programme = await this.programmeForAdmin(em, person, input.programmeId);
    if (
      !Number.isInteger(input.capacity) ||
      input.capacity < 1 ||
      input.capacity > programme.groupSizeLimit
    ) {
      errors.add(
        'capacity',
        `I posti vanno da 1 a ${programme.groupSizeLimit} (il limite del programma).`,
        `Seats go from 1 to ${programme.groupSizeLimit} (the programme's limit).`,
      );
    }
    try {
      return await em.fork().transactional(async (tx) => {
        // The programme's row lock serialises plannings of one programme (and its budget).
        const locked = (await this.lockProgramme(tx, programme.id))!;
        if (locked.status !== 'OPEN') {
          throw DomainError.conflict({
            it: 'Il programma è chiuso.',
            en: 'The programme is closed.',
          });
        }
        const tutor = isUuid(input.tutorId)
          ? await tx.findOne(TutoringTutor, { id: input.tutorId, programmeId: locked.id })
          : null;
        if (isUuid(input.tutorId) && !tutor) {
          errors.add(
            'tutorId',
            'Tutor non assegnato al programma.',
            'Not a tutor of the programme.',
          );
        }
        const room = isUuid(input.roomId)
          ? await tx.findOne(TutoringRoom, { id: input.roomId, providerId: locked.providerId })
          : null;
        if (isUuid(input.roomId) && !room) {
          errors.add('roomId', 'Stanza non trovata.', 'Room not found.');
        }
        errors.throwIfAny();
        const occurrences = await tx.execute<{ k: number; starts_at: Date; ends_at: Date }[]>(
          `select k, ((?::timestamptz at time zone '${ROME}') + make_interval(days => 7 * k)) at time zone '${ROME}' as starts_at,
                  ((?::timestamptz at time zone '${ROME}') + make_interval(days => 7 * k)) at time zone '${ROME}' as ends_at
             from generate_series(0, ? - 1) as k order by k`,
          [start.toISOString(), end.toISOString(), weeks],
        );
        let total = 0;
        const outside: string[] = [];
        const outOfPeriod: string[] = [];
        const tutorBusy: string[] = [];
        const roomBusy: string[] = [];
        for (const o of occurrences) {
          const s = new Date(o.starts_at);
          const e = new Date(o.ends_at);
          total += minutesBetween(s, e);
          const day = romeDay(s);
          const [check] = await tx.execute<
            { available: boolean; tutor_busy: boolean; room_busy: boolean; same_day: boolean }[]
          >(
            `select
               ((?::timestamptz at time zone '${ROME}')::date = (?::timestamptz at time zone '${ROME}')::date) as same_day,
               exists (select 1 from ${S}."tutoring_room_window" w
                        where w.room_id = ?
                          and w.weekday = extract(isodow from (?::timestamptz at time zone '${ROME}'))
                          and w.starts_at <= (?::timestamptz at time zone '${ROME}')::time
                          and w.ends_at >= (?::timestamptz at time zone '${ROME}')::time
                          and (w.valid_from is null or w.valid_from <= ?::date)
                          and (w.valid_until is null or w.valid_until >= ?::date)) as available,
               exists (select 1 from ${S}."tutoring_lesson" l where l.status = 'PLANNED' and l.tutor_person_id = ?
                          and tstzrange(l.starts_at, l.ends_at, '[)') && tstzrange(?::timestamptz, ?::timestamptz, '[)')) as tutor_busy,
               exists (select 1 from ${S}."tutoring_lesson" l where l.status = 'PLANNED' and l.room_id = ?
                          and tstzrange(l.starts_at, l.ends_at, '[)') && tstzrange(?::timestamptz, ?::timestamptz, '[)')) as room_busy`,
            [
              s.toISOString(),
              e.toISOString(),
              room!.id,
              s.toISOString(),
              s.toISOString(),
              e.toISOString(),
              day,
              day,
              tutor!.personId,
              s.toISOString(),
              e.toISOString(),
              room!.id,
              s.toISOString(),
              e.toISOString(),
            ],
          );
          if (!check!.available || !check!.same_day) outside.push(day);
          if (day < locked.startsOn || day > locked.endsOn) outOfPeriod.push(day);
          if (check!.tutor_busy) tutorBusy.push(day);
          if (check!.room_busy) roomBusy.push(day);
        }
        const list = (days: string[]) =>
          days.slice(0, 5).join(', ') + (days.length > 5 ? ', …' : '');
        if (outside.length > 0) {
          errors.add(
            'startsAt',
            `Fuori dalla disponibilità della stanza: ${list(outside)}.`,
            `Outside the room's availability: ${list(outside)}.`,
          );
        }
        if (outOfPeriod.length > 0) {
          errors.add(
            'startsAt',
            `Fuori dal periodo del programma (${locked.startsOn} – ${locked.endsOn}): ${list(outOfPeriod)}.`,
            `Outside the programme's period (${locked.startsOn} – ${locked.endsOn}): ${list(outOfPeriod)}.`,
          );
        }
        if (tutorBusy.length > 0) {
          errors.add(
            'tutorId',
            `${TUTOR_BUSY.it} (${list(tutorBusy)})`,
            `${TUTOR_BUSY.en} (${list(tutorBusy)})`,
          );
        }
        if (roomBusy.length > 0) {
          errors.add(
            'roomId',
            `${ROOM_BUSY.it} (${list(roomBusy)})`,
            `${ROOM_BUSY.en} (${list(roomBusy)})`,
          );
        }
        const remaining = locked.budgetMinutes - locked.plannedMinutes;
        if (total > remaining) {
          errors.add(
            'weeks',
            `Oltre il monte ore residuo del programma: servono ${total / 60} ore, ne restano ${remaining / 60}.`,
            `Beyond the programme's remaining budget: ${total / 60} hours needed, ${remaining / 60} left.`,
          );
        }
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
        locked.plannedMinutes += total;
        await tx.flush();
        return lessons;
      });
    } catch (err) {
      if (err instanceof DomainError) throw err;
      return overlapError(err);
    }
  }

  /**
   * The provider's ADMIN cancels a lesson that has not started: its bookings are cancelled and
   * its minutes return to the budget. Idempotent.
   */
  async cancelLesson(em: EntityManager, caller: Caller, lessonId: string): Promise<TutoringLesson> {
    const person = requirePerson(caller);
    return em.fork().transactional(async (tx) => {
      const lesson = await this.lockLesson(tx, lessonId);
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
      await tx.execute(
        `update ${S}."tutoring_booking" set status = 'CANCELLED', cancelled_at = ? where lesson_id = ? and status <> 'CANCELLED'`,
        [at, lesson.id],
      );
      await tx.execute(
        `update ${S}."tutoring_programme" set planned_minutes = planned_minutes - ?, version = version + 1 where id = ?`,
        [minutesBetween(lesson.startsAt, lesson.endsAt), lesson.programmeId],
      );
      lesson.status = 'CANCELLED';
      lesson.cancelledAt = at;
      lesson.seatsTaken = 0;
      await tx.flush();
      return lesson;
    });
  }

  private async lockLesson(tx: EntityManager, id: string): Promise<TutoringLesson | null> {
    if (!isUuid(id)) return null;
    const [raw] = await tx.execute<{ id: string }[]>(
      `select id from ${S}."tutoring_lesson" where id = ? for update`,
      [id],
    );
    if (!raw) return null;
    return tx.findOne(TutoringLesson, { id }, { refresh: true });
  }

  /** A lesson by id (public: times, seats, room, tutor's name). */
  async lesson(em: EntityManager, id: string): Promise<TutoringLesson | null> {
    if (!isUuid(id)) return null;
    return em.findOne(TutoringLesson, { id });
  }

  /**
   * A programme's lessons by start: public. `upcoming` keeps planned lessons not yet started;
   * otherwise every lesson (also cancelled) between `from` and `to`.
   */
  async lessons(
    em: EntityManager,
    programmeId: string,
    options: { upcoming?: boolean; from?: Date | null; to?: Date | null } = {},
  ): Promise<TutoringLesson[]> {
    if (!isUuid(programmeId)) return [];
    const where: Record<string, unknown> = { programmeId };
    if (options.upcoming) {
      where.status = 'PLANNED';
      where.startsAt = { $gt: this.now() };
    } else if (options.from || options.to) {
      where.startsAt = {
        ...(options.from ? { $gte: options.from } : {}),
        ...(options.to ? { $lt: options.to } : {}),
      };
    }
    return em.find(TutoringLesson, where, { orderBy: { startsAt: 'asc' }, limit: 1000 });
  }

  /** The lessons of programmes of the caller's provider that the caller teaches (a TUTOR). */
  async myTeaching(
    em: EntityManager,
    caller: Caller,
    from: Date | null,
  ): Promise<TutoringLesson[]> {
    const person = requirePerson(caller);
    return em
      .find(
        TutoringLesson,
        {
          tutorPersonId: person.personId,
          ...(from ? { startsAt: { $gte: from } } : {}),
        },
        { orderBy: { startsAt: 'asc' }, limit: 500 },
      )
      .then((rows) => rows.filter((l) => this.canSeeProvider(person, l.providerId)));
  }

  /** Waitlisted bookings per lesson. */
  async waitlistCounts(em: EntityManager, lessonIds: string[]): Promise<Map<string, number>> {
    if (lessonIds.length === 0) return new Map();
    const rows = await em.execute<{ lesson_id: string; n: string }[]>(
      `select lesson_id, count(*) as n from ${S}."tutoring_booking" where status = 'WAITLISTED' and lesson_id in (${lessonIds.map(() => '?').join(', ')}) group by lesson_id`,
      lessonIds,
    );
    return new Map(rows.map((r) => [r.lesson_id, Number(r.n)]));
  }

  /**
   * A lesson's bookings (seats then waitlist, in order) with the pupils: for the provider's
   * ADMIN and TUTORs only (null for anyone else).
   */
  async lessonBookings(
    em: EntityManager,
    caller: Caller,
    lesson: TutoringLesson,
  ): Promise<
    { booking: TutoringBooking; enrolment: TutoringEnrolment; position: number | null }[] | null
  > {
    if (!this.canSeeProvider(caller, lesson.providerId)) return null;
    return this.bookingRows(em, { lessonId: lesson.id });
  }

  private async bookingRows(em: EntityManager, where: { lessonId?: string; familyId?: string }) {
    const rows = await em.execute<{ id: string; position: string | null }[]>(
      `select b.id,
              case when b.status = 'WAITLISTED' then
                (select count(*) from ${S}."tutoring_booking" w where w.lesson_id = b.lesson_id and w.status = 'WAITLISTED' and w.seq <= b.seq)
              end as position
         from ${S}."tutoring_booking" b
        where ${where.lessonId ? 'b.lesson_id = ?' : 'b.family_id = ?'}
        order by b.starts_at, case b.status when 'SEATED' then 0 when 'WAITLISTED' then 1 else 2 end, b.seq`,
      [where.lessonId ?? where.familyId],
    );
    const ids = rows.map((r) => r.id);
    const bookings = new Map(
      (ids.length ? await em.find(TutoringBooking, { id: { $in: ids } }) : []).map((b) => [
        b.id,
        b,
      ]),
    );
    const enrolments = new Map(
      (ids.length
        ? await em.find(TutoringEnrolment, {
            id: { $in: [...new Set([...bookings.values()].map((b) => b.enrolmentId))] },
          })
        : []
      ).map((e) => [e.id, e]),
    );
    return rows.map((r) => {
      const booking = bookings.get(r.id)!;
      return {
        booking,
        enrolment: enrolments.get(booking.enrolmentId)!,
        position: r.position === null ? null : Number(r.position),
      };
    });
  }

  /** A booking with its pupil and waitlist place (for a mutation's answer). */
  async bookingView(
    em: EntityManager,
    booking: TutoringBooking,
  ): Promise<{ booking: TutoringBooking; enrolment: TutoringEnrolment; position: number | null }> {
    const enrolment = (await em.findOne(TutoringEnrolment, { id: booking.enrolmentId }))!;
    let position: number | null = null;
    if (booking.status === 'WAITLISTED') {
      const [row] = await em.execute<{ n: string }[]>(
        `select count(*) as n from ${S}."tutoring_booking" w
          where w.lesson_id = ? and w.status = 'WAITLISTED'
            and w.seq <= (select seq from ${S}."tutoring_booking" where id = ?)`,
        [booking.lessonId, booking.id],
      );
      position = Number(row?.n ?? 0);
    }
    return { booking, enrolment, position };
  }

  /** True while the family may still give up the booking (notice for a seat, start for a wait). */
  cancellable(booking: TutoringBooking, lesson: TutoringLesson, programme: TutoringProgramme) {
    if (booking.status === 'CANCELLED' || lesson.status !== 'PLANNED') return false;
    const now = this.now().getTime();
    if (booking.status === 'WAITLISTED') return now < lesson.startsAt.getTime();
    return now <= lesson.startsAt.getTime() - programme.cancellationNoticeHours * 3_600_000;
  }

  /** The family's seated and waitlisted lessons as an iCalendar file. */
  async familyCalendar(em: EntityManager, caller: Caller): Promise<string> {
    const rows = (await this.myBookings(em, caller)).filter(
      (r) => r.booking.status !== 'CANCELLED' && r.lesson.status === 'PLANNED',
    );
    return buildCalendar({
      name: 'Tutoraggio – lezioni',
      stamp: this.now(),
      events: rows.map((r) => ({
        uid: `tutoring-booking-${r.booking.id}@welfare-territoriale`,
        start: r.lesson.startsAt,
        end: r.lesson.endsAt,
        summary: `${r.programme.title} – ${r.enrolment.firstName}${r.booking.status === 'WAITLISTED' ? ' (lista d’attesa)' : ''}`,
        location: `${r.room.name}, ${r.room.address}`,
        description: `Tutor: ${r.tutorName}`,
        status: r.booking.status === 'SEATED' ? ('CONFIRMED' as const) : ('TENTATIVE' as const),
      })),
    });
  }

  // ---- families ---------------------------------------------------------------------------------

  private requireFamily(caller: Caller): PersonCaller {
    const person = requirePerson(caller);
    if (!person.fiscalCode) {
      throw DomainError.forbidden({
        it: 'Per iscrivere e prenotare serve un accesso da cittadino (SPID o CIE).',
        en: 'Enrolling and booking need a citizen login (SPID or CIE).',
      });
    }
    return person;
  }

  /** A family (a citizen with a codice fiscale) enrols a pupil in an OPEN programme. */
  async enrol(
    em: EntityManager,
    caller: Caller,
    input: EnrolmentInput,
  ): Promise<TutoringEnrolment> {
    const person = this.requireFamily(caller);
    const errors = new FieldErrors();
    const firstName = cleanText(input.firstName);
    const lastName = cleanText(input.lastName);
    const schoolClass = cleanText(input.schoolClass);
    if (firstName.length < 1 || firstName.length > 80) {
      errors.add(
        'firstName',
        'Indicare il nome (fino a 80 caratteri).',
        'Give the first name (up to 80 characters).',
      );
    }
    if (lastName.length < 1 || lastName.length > 80) {
      errors.add(
        'lastName',
        'Indicare il cognome (fino a 80 caratteri).',
        'Give the last name (up to 80 characters).',
      );
    }
    if (schoolClass.length < 1 || schoolClass.length > 40) {
      errors.add(
        'schoolClass',
        'Indicare la classe (fino a 40 caratteri).',
        'Give the school class (up to 40 characters).',
      );
    }
    const programme = await this.programme(em, input.programmeId);
    if (!programme) throw programmeNotFound();
    errors.throwIfAny();
    if (programme.status !== 'OPEN' || programme.endsOn < romeDay(this.now())) {
      throw DomainError.conflict({
        it: 'Il programma non accetta iscrizioni.',
        en: 'The programme does not accept enrolments.',
      });
    }
    try {
      return await em.fork().transactional(async (tx) => {
        const row = tx.create(TutoringEnrolment, {
          programmeId: programme.id,
          familyId: person.personId,
          firstName,
          lastName,
          schoolClass,
        });
        await tx.flush();
        return row;
      });
    } catch (err) {
      if (sqlState(err) === '23505') {
        throw DomainError.conflict({
          it: 'L’alunno è già iscritto a questo programma.',
          en: 'The pupil is already enrolled in this programme.',
        });
      }
      throw err;
    }
  }

  /** The family's enrolments, newest first. */
  async myEnrolments(em: EntityManager, caller: Caller): Promise<TutoringEnrolment[]> {
    const person = requirePerson(caller);
    return em.find(
      TutoringEnrolment,
      { familyId: person.personId },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
  }

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
    const person = this.requireFamily(caller);
    const enrolment = isUuid(enrolmentId)
      ? await em.findOne(TutoringEnrolment, { id: enrolmentId, familyId: person.personId })
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
      return await em.fork().transactional(async (tx) => {
        const lesson = await this.lockLesson(tx, lessonId);
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
        const live = await tx.findOne(TutoringBooking, {
          lessonId: lesson.id,
          enrolmentId: enrolment.id,
          status: { $ne: 'CANCELLED' },
        });
        if (live) {
          throw DomainError.conflict({
            it: 'L’alunno ha già una prenotazione per questa lezione.',
            en: 'The pupil already has a booking for this lesson.',
          });
        }
        if (await this.pupilBusy(tx, enrolment.id, lesson.startsAt, lesson.endsAt)) {
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
      });
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if (sqlState(err) === '23505') {
        throw DomainError.conflict({
          it: 'L’alunno ha già una prenotazione per questa lezione.',
          en: 'The pupil already has a booking for this lesson.',
        });
      }
      return overlapError(err);
    }
  }

  private async pupilBusy(tx: EntityManager, enrolmentId: string, start: Date, end: Date) {
    const [row] = await tx.execute<{ busy: boolean }[]>(
      `select exists (select 1 from ${S}."tutoring_booking" where enrolment_id = ? and status = 'SEATED'
          and tstzrange(starts_at, ends_at, '[)') && tstzrange(?::timestamptz, ?::timestamptz, '[)')) as busy`,
      [enrolmentId, start.toISOString(), end.toISOString()],
    );
    return row!.busy === true;
  }

  /**
   * The family cancels its booking. A seat can be given up until the programme's notice before
   * the start (CONFLICT later); a freed seat goes at once to the first on the waitlist (in the
   * same transaction). Leaving the waitlist is possible until the start. Idempotent.
   */
  async cancelBooking(
    em: EntityManager,
    caller: Caller,
    bookingId: string,
  ): Promise<TutoringBooking> {
    const person = requirePerson(caller);
    const found = isUuid(bookingId)
      ? await em.findOne(TutoringBooking, { id: bookingId, familyId: person.personId })
      : null;
    if (!found) throw bookingNotFound();
    return em.fork().transactional(async (tx) => {
      const lesson = (await this.lockLesson(tx, found.lessonId))!;
      const booking = (await tx.findOne(TutoringBooking, { id: found.id }, { refresh: true }))!;
      if (booking.status === 'CANCELLED') return booking;
      const programme = (await tx.findOne(TutoringProgramme, { id: lesson.programmeId }))!;
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
      const [next] = await tx.execute<{ id: string }[]>(
        `select b.id from ${S}."tutoring_booking" b
          where b.lesson_id = ? and b.status = 'WAITLISTED'
            and not exists (select 1 from ${S}."tutoring_booking" o where o.enrolment_id = b.enrolment_id and o.status = 'SEATED'
                              and tstzrange(o.starts_at, o.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)'))
          order by b.seq limit 1 for update`,
        [lesson.id],
      );
      if (!next) return;
      await tx.execute(
        `update ${S}."tutoring_booking" set status = 'SEATED', seated_at = ? where id = ?`,
        [this.now(), next.id],
      );
      lesson.seatsTaken += 1;
      await tx.flush();
    }
  }

  /** The family's bookings with lesson, programme, pupil and room, by lesson start. */
  async myBookings(em: EntityManager, caller: Caller): Promise<FamilyBookingRow[]> {
    const person = requirePerson(caller);
    const rows = await this.bookingRows(em, { familyId: person.personId });
    if (rows.length === 0) return [];
    const lessons = new Map(
      (
        await em.find(TutoringLesson, {
          id: { $in: [...new Set(rows.map((r) => r.booking.lessonId))] },
        })
      ).map((l) => [l.id, l]),
    );
    const programmes = new Map(
      (
        await em.find(TutoringProgramme, {
          id: { $in: [...new Set(rows.map((r) => r.booking.programmeId))] },
        })
      ).map((p) => [p.id, p]),
    );
    const rooms = new Map(
      (
        await em.find(TutoringRoom, {
          id: { $in: [...new Set([...lessons.values()].map((l) => l.roomId))] },
        })
      ).map((r) => [r.id, r]),
    );
    const tutors = new Map(
      (
        await em.find(TutoringTutor, {
          id: { $in: [...new Set([...lessons.values()].map((l) => l.tutorId))] },
        })
      ).map((t) => [t.id, t]),
    );
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

  // ---- attendance ----------------------------------------------------------------------------

  /**
   * The attendance register: the lesson's tutor (a TUTOR of the provider) or the provider's
   * ADMIN marks seated pupils PRESENT, ABSENT or JUSTIFIED, from the lesson's start on (editable
   * afterwards). FORBIDDEN for another tutor of the provider; NOT_FOUND for anyone else.
   */
  async markAttendance(
    em: EntityManager,
    caller: Caller,
    lessonId: string,
    marks: AttendanceMark[],
  ): Promise<TutoringBooking[]> {
    const person = requirePerson(caller);
    const lesson = await this.lesson(em, lessonId);
    if (!lesson || !this.canSeeProvider(person, lesson.providerId)) throw lessonNotFound();
    const allowed =
      isProviderAdmin(person, lesson.providerId) ||
      (isProviderTutor(person, lesson.providerId) && lesson.tutorPersonId === person.personId);
    if (!allowed) {
      throw DomainError.forbidden({
        it: 'Solo il tutor della lezione può compilare il registro.',
        en: 'Only the lesson’s tutor can fill in the register.',
      });
    }
    if (lesson.status !== 'PLANNED') {
      throw DomainError.conflict({ it: 'La lezione è annullata.', en: 'The lesson is cancelled.' });
    }
    if (this.now().getTime() < lesson.startsAt.getTime()) {
      throw DomainError.conflict({
        it: 'Le presenze si registrano dall’inizio della lezione.',
        en: 'Attendance is taken from the start of the lesson.',
      });
    }
    const errors = new FieldErrors();
    if (marks.length === 0 || marks.length > 10) {
      errors.add('marks', 'Indicare le presenze.', 'Give the attendance.');
    }
    return em.fork().transactional(async (tx) => {
      await this.lockLesson(tx, lesson.id);
      const seated = new Map(
        (await tx.find(TutoringBooking, { lessonId: lesson.id, status: 'SEATED' })).map((b) => [
          b.id,
          b,
        ]),
      );
      const seen = new Set<string>();
      marks.forEach((mark, i) => {
        if (!seated.has(mark.bookingId) || seen.has(mark.bookingId)) {
          errors.add(
            `marks.${i}.bookingId`,
            'Alunno senza posto in questa lezione.',
            'Not a seated pupil of this lesson.',
          );
        }
        seen.add(mark.bookingId);
        if (!(ATTENDANCES as readonly string[]).includes(mark.attendance)) {
          errors.add(`marks.${i}.attendance`, 'Presenza non valida.', 'Invalid attendance.');
        }
      });
      errors.throwIfAny();
      const at = this.now();
      for (const mark of marks) {
        const booking = seated.get(mark.bookingId)!;
        booking.attendance = mark.attendance;
        booking.attendanceMarkedBy = person.personId;
        booking.attendanceMarkedAt = at;
      }
      await tx.flush();
      return [...seated.values()];
    });
  }

  /** True when the caller may fill in the lesson's register (its tutor, or the provider's ADMIN). */
  canMark(caller: Caller, lesson: TutoringLesson): boolean {
    if (caller.kind !== 'person') return false;
    return (
      isProviderAdmin(caller, lesson.providerId) ||
      (isProviderTutor(caller, lesson.providerId) && lesson.tutorPersonId === caller.personId)
    );
  }

  // ---- report -----------------------------------------------------------------------------------

  /**
   * The hours report of a programme, for the funding Comune's staff and the provider's ADMIN
   * (NOT_FOUND for anyone else). A lesson is held when at least one pupil is PRESENT: its minutes
   * count as tutor time delivered (budget used); pupil-minutes are counted per attendance.
   */
  async report(em: EntityManager, caller: Caller, programmeId: string): Promise<TutoringReport> {
    requirePerson(caller);
    const programme = await this.programme(em, programmeId);
    if (
      !programme ||
      !(isComuneStaff(caller, programme.comuneId) || isProviderAdmin(caller, programme.providerId))
    ) {
      throw programmeNotFound();
    }
    const rows = await em.execute<
      {
        id: string;
        starts_at: Date;
        ends_at: Date;
        status: string;
        tutor_id: string;
        tutor_name: string;
        room_name: string;
        seated: string;
        present: string;
        absent: string;
        justified: string;
      }[]
    >(
      `select l.id, l.starts_at, l.ends_at, l.status, t.id as tutor_id, t.display_name as tutor_name, r.name as room_name,
              count(b.id) filter (where b.status = 'SEATED') as seated,
              count(b.id) filter (where b.attendance = 'PRESENT') as present,
              count(b.id) filter (where b.attendance = 'ABSENT') as absent,
              count(b.id) filter (where b.attendance = 'JUSTIFIED') as justified
         from ${S}."tutoring_lesson" l
         join ${S}."tutoring_tutor" t on t.id = l.tutor_id
         join ${S}."tutoring_room" r on r.id = l.room_id
         left join ${S}."tutoring_booking" b on b.lesson_id = l.id
        where l.programme_id = ?
        group by l.id, t.id, r.name
        order by l.starts_at, l.id`,
      [programme.id],
    );
    const lessons: ReportLesson[] = rows.map((r) => {
      const startsAt = new Date(r.starts_at);
      const endsAt = new Date(r.ends_at);
      const present = Number(r.present);
      const absent = Number(r.absent);
      const justified = Number(r.justified);
      const seated = Number(r.seated);
      return {
        lessonId: r.id,
        startsAt,
        endsAt,
        status: r.status,
        tutorName: r.tutor_name,
        roomName: r.room_name,
        minutes: minutesBetween(startsAt, endsAt),
        seated,
        present,
        absent,
        justified,
        unmarked: Math.max(0, seated - present - absent - justified),
        held: r.status === 'PLANNED' && present > 0,
      };
    });
    const tutors = new Map<string, ReportTutor>();
    for (const r of rows) {
      if (!tutors.has(r.tutor_id)) {
        tutors.set(r.tutor_id, {
          tutorId: r.tutor_id,
          tutorName: r.tutor_name,
          lessonsHeld: 0,
          minutesDelivered: 0,
        });
      }
    }
    let held = 0;
    let delivered = 0;
    let present = 0;
    let absent = 0;
    let justified = 0;
    lessons.forEach((l, i) => {
      if (l.status !== 'PLANNED') return;
      present += l.present * l.minutes;
      absent += l.absent * l.minutes;
      justified += l.justified * l.minutes;
      if (!l.held) return;
      held += 1;
      delivered += l.minutes;
      const tutor = tutors.get(rows[i]!.tutor_id)!;
      tutor.lessonsHeld += 1;
      tutor.minutesDelivered += l.minutes;
    });
    return {
      programme,
      lessonsPlanned: lessons.filter((l) => l.status === 'PLANNED').length,
      lessonsHeld: held,
      tutorMinutesDelivered: delivered,
      pupilMinutesPresent: present,
      pupilMinutesAbsent: absent,
      pupilMinutesJustified: justified,
      budgetMinutes: programme.budgetMinutes,
      plannedMinutes: programme.plannedMinutes,
      usedMinutes: delivered,
      remainingMinutes: programme.budgetMinutes - programme.plannedMinutes,
      tutors: [...tutors.values()].sort((a, b) => a.tutorName.localeCompare(b.tutorName, 'it')),
      lessons,
    };
  }

  /** Statuses a family's calendar shows. */
  static readonly CALENDAR_STATUSES: BookingStatus[] = ['SEATED', 'WAITLISTED'];
}
