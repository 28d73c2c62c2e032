import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import {
  ATTENDANCES,
  BOOKING_STATUSES,
  type Attendance,
  type BookingStatus,
} from './tutoring-booking.enums.js';

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
