import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const PROGRAMME_STATUSES = ['OPEN', 'CLOSED'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];
export const LESSON_STATUSES = ['PLANNED', 'CANCELLED'] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];
export const BOOKING_STATUSES = ['SEATED', 'WAITLISTED', 'CANCELLED'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const ATTENDANCES = ['PRESENT', 'ABSENT', 'JUSTIFIED'] as const;
export type Attendance = (typeof ATTENDANCES)[number];

/**
 * A tutoring programme: funded by a Comune with a budget of hours (in minutes), run by an
 * accredited provider. `plannedMinutes` is the budget reserved by planned lessons (a CHECK keeps
 * it within the budget).
 */
@Entity({ tableName: 'tutoring_programme' })
export class TutoringProgramme {
  [OptionalProps]?:
    | 'plannedMinutes'
    | 'groupSizeLimit'
    | 'cancellationNoticeHours'
    | 'status'
    | 'version'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The funding Comune. */
  @Property({ type: 'uuid' })
  comuneId!: string;

  /** The provider running it (COOPERATIVE or ASSOCIATION). */
  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'date' })
  startsOn!: string;

  @Property({ type: 'date' })
  endsOn!: string;

  @Property({ type: 'int' })
  budgetMinutes!: number;

  @Property({ type: 'int' })
  plannedMinutes: number = 0;

  @Property({ type: 'int' })
  groupSizeLimit: number = 3;

  @Property({ type: 'int' })
  cancellationNoticeHours: number = 24;

  @Enum({ items: [...PROGRAMME_STATUSES], type: 'text' })
  status: ProgrammeStatus = 'OPEN';

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'int' })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** A member of the provider (identity role TUTOR) assigned to a programme. */
@Entity({ tableName: 'tutoring_tutor' })
export class TutoringTutor {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  programmeId!: string;

  @Property({ type: 'uuid' })
  providerId!: string;

  /** The tutor's identity Person id. */
  @Property({ type: 'uuid' })
  personId!: string;

  @Property({ type: 'text' })
  displayName!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** A place where lessons happen (e.g. a library room), owned by a provider. */
@Entity({ tableName: 'tutoring_room' })
export class TutoringRoom {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  address!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** A weekly availability window of a room, in Rome's local time, optionally between two dates. */
@Entity({ tableName: 'tutoring_room_window' })
export class TutoringRoomWindow {
  [OptionalProps]?: 'validFrom' | 'validUntil';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  roomId!: string;

  /** ISO weekday: 1 Monday … 7 Sunday. */
  @Property({ type: 'smallint' })
  weekday!: number;

  /** `HH:MM` (or `HH:MM:SS` as PostgreSQL returns it). */
  @Property({ type: 'time' })
  startsAt!: string;

  @Property({ type: 'time' })
  endsAt!: string;

  @Property({ type: 'date', nullable: true })
  validFrom: string | null = null;

  @Property({ type: 'date', nullable: true })
  validUntil: string | null = null;
}

/** A lesson: a tutor in a room for a time, with a capacity of seats. */
@Entity({ tableName: 'tutoring_lesson' })
export class TutoringLesson {
  [OptionalProps]?: 'seatsTaken' | 'status' | 'cancelledAt' | 'createdAt' | 'seriesId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  programmeId!: string;

  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'uuid' })
  tutorId!: string;

  @Property({ type: 'uuid' })
  tutorPersonId!: string;

  @Property({ type: 'uuid' })
  roomId!: string;

  /** Shared by the lessons planned together as a weekly series. */
  @Property({ type: 'uuid', nullable: true })
  seriesId: string | null = null;

  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Property({ type: 'timestamptz' })
  endsAt!: Date;

  @Property({ type: 'int' })
  capacity!: number;

  @Property({ type: 'int' })
  seatsTaken: number = 0;

  @Enum({ items: [...LESSON_STATUSES], type: 'text' })
  status: LessonStatus = 'PLANNED';

  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null = null;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** A pupil enrolled in a programme by a family (the citizen's Person id). */
@Entity({ tableName: 'tutoring_enrolment' })
export class TutoringEnrolment {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  programmeId!: string;

  @Property({ type: 'uuid' })
  familyId!: string;

  @Property({ type: 'text' })
  firstName!: string;

  @Property({ type: 'text' })
  lastName!: string;

  @Property({ type: 'text' })
  schoolClass!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/**
 * A pupil's booking of a lesson: a seat, a place on the waitlist (FIFO by the table's `seq` column, a sequence), or cancelled;
 * a seated pupil's attendance once the tutor marks it.
 */
@Entity({ tableName: 'tutoring_booking' })
export class TutoringBooking {
  [OptionalProps]?:
    | 'attendance'
    | 'attendanceMarkedBy'
    | 'attendanceMarkedAt'
    | 'seatedAt'
    | 'cancelledAt'
    | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  lessonId!: string;

  @Property({ type: 'uuid' })
  programmeId!: string;

  @Property({ type: 'uuid' })
  enrolmentId!: string;

  @Property({ type: 'uuid' })
  familyId!: string;

  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Property({ type: 'timestamptz' })
  endsAt!: Date;

  @Enum({ items: [...BOOKING_STATUSES], type: 'text' })
  status!: BookingStatus;

  @Enum({ items: [...ATTENDANCES], type: 'text', nullable: true })
  attendance: Attendance | null = null;

  @Property({ type: 'uuid', nullable: true })
  attendanceMarkedBy: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  attendanceMarkedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  seatedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** Every entity of the tutoring module. */
export const tutoringEntities = [
  TutoringProgramme,
  TutoringTutor,
  TutoringRoom,
  TutoringRoomWindow,
  TutoringLesson,
  TutoringEnrolment,
  TutoringBooking,
];
