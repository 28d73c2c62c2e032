import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  ATTENDANCES,
  BOOKING_STATUSES,
  LESSON_STATUSES,
  PROGRAMME_STATUSES,
  type Attendance,
  type BookingStatus,
  type LessonStatus,
  type ProgrammeStatus,
} from './tutoring.entities.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const TutoringProgrammeStatus = enumOf(PROGRAMME_STATUSES);
registerEnumType(TutoringProgrammeStatus, {
  name: 'TutoringProgrammeStatus',
  description: 'OPEN (families enrol and book; lessons are planned) or CLOSED.',
});
export const TutoringLessonStatus = enumOf(LESSON_STATUSES);
registerEnumType(TutoringLessonStatus, {
  name: 'TutoringLessonStatus',
  description: 'PLANNED, or CANCELLED by the provider (its bookings cancelled, budget freed).',
});
export const TutoringBookingStatus = enumOf(BOOKING_STATUSES);
registerEnumType(TutoringBookingStatus, {
  name: 'TutoringBookingStatus',
  description:
    'SEATED (holds a seat), WAITLISTED (waits, first come first served; seated automatically when a seat frees), CANCELLED.',
});
export const TutoringAttendance = enumOf(ATTENDANCES);
registerEnumType(TutoringAttendance, {
  name: 'TutoringAttendance',
  description: 'A seated pupil’s attendance: PRESENT, ABSENT or JUSTIFIED (absence justified).',
});

@ObjectType('TutoringProgramme', {
  description:
    'A tutoring programme funded by a Comune with a budget of hours and run by an accredited provider. Public (families enrol).',
})
export class TutoringProgrammeType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The funding Comune.' })
  comuneId!: string;

  @Field(() => ID, { description: 'The provider running it.' })
  providerId!: string;

  @Field(() => String, { description: 'Title, 3 to 200 characters.' })
  title!: string;

  @Field(() => String, { description: 'Description (may be empty).' })
  description!: string;

  @Field(() => String, { description: 'First day (yyyy-mm-dd, Europe/Rome).' })
  startsOn!: string;

  @Field(() => String, { description: 'Last day (yyyy-mm-dd, Europe/Rome).' })
  endsOn!: string;

  @Field(() => Int, { description: 'The budget of tutor time, in minutes.' })
  budgetMinutes!: number;

  @Field(() => Int, {
    description: 'Minutes reserved by planned (not cancelled) lessons; never above the budget.',
  })
  plannedMinutes!: number;

  @Field(() => Int, { description: 'Most pupils in a lesson (1 to 10; default 3).' })
  groupSizeLimit!: number;

  @Field(() => Int, {
    description: 'Hours before a lesson after which a family can no longer give up its seat.',
  })
  cancellationNoticeHours!: number;

  @Field(() => TutoringProgrammeStatus, { description: 'OPEN or CLOSED.' })
  status!: ProgrammeStatus;
}

@ObjectType('TutoringTutor', {
  description: 'A tutor (a TUTOR member of the provider) of a programme.',
})
export class TutoringTutorType {
  @Field(() => ID, { description: 'Stable identifier (UUID) of the assignment.' })
  id!: string;

  @Field(() => ID, { description: 'The programme.' })
  programmeId!: string;

  @Field(() => ID, { description: 'The tutor’s identity Person id.' })
  personId!: string;

  @Field(() => String, { description: 'The name families see.' })
  displayName!: string;
}

@ObjectType('TutoringRoomWindow', {
  description: 'A weekly availability window of a room, in Rome local time.',
})
export class TutoringRoomWindowType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => Int, { description: 'ISO weekday: 1 Monday … 7 Sunday.' })
  weekday!: number;

  @Field(() => String, { description: 'Opening time, HH:MM.' })
  startsAt!: string;

  @Field(() => String, { description: 'Closing time, HH:MM.' })
  endsAt!: string;

  @Field(() => String, { nullable: true, description: 'First valid day (yyyy-mm-dd), if any.' })
  validFrom!: string | null;

  @Field(() => String, { nullable: true, description: 'Last valid day (yyyy-mm-dd), if any.' })
  validUntil!: string | null;
}

@ObjectType('TutoringRoom', {
  description: 'A place where lessons happen (e.g. a library room), owned by a provider.',
})
export class TutoringRoomType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The provider owning it.' })
  providerId!: string;

  @Field(() => String, { description: 'Name, e.g. “Biblioteca comunale – Sala studio”.' })
  name!: string;

  @Field(() => String, { description: 'Address.' })
  address!: string;
}

@ObjectType('TutoringLesson', {
  description:
    'A lesson: a tutor, a room, a time and a number of seats. Public; the bookings (pupils) only for the provider.',
})
export class TutoringLessonType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The programme.' })
  programmeId!: string;

  @Field(() => ID, { description: 'The tutor assignment (TutoringTutor.id).' })
  tutorId!: string;

  @Field(() => ID, { description: 'The room.' })
  roomId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Shared by the lessons planned together as a weekly series.',
  })
  seriesId!: string | null;

  @Field(() => Date, { description: 'Start.' })
  startsAt!: Date;

  @Field(() => Date, { description: 'End.' })
  endsAt!: Date;

  @Field(() => Int, { description: 'Seats.' })
  capacity!: number;

  @Field(() => Int, { description: 'Seats taken.' })
  seatsTaken!: number;

  @Field(() => TutoringLessonStatus, { description: 'PLANNED or CANCELLED.' })
  status!: LessonStatus;
}

@ObjectType('TutoringPupil', { description: 'A pupil enrolled in a programme by a family.' })
export class TutoringEnrolmentType {
  @Field(() => ID, { description: 'Stable identifier (UUID) of the enrolment.' })
  id!: string;

  @Field(() => ID, { description: 'The programme.' })
  programmeId!: string;

  @Field(() => String, { description: 'First name.' })
  firstName!: string;

  @Field(() => String, { description: 'Last name.' })
  lastName!: string;

  @Field(() => String, { description: 'School class, e.g. “2ª media”.' })
  schoolClass!: string;
}

@ObjectType('TutoringBooking', {
  description: 'A pupil’s booking of a lesson: a seat or a place on the waitlist.',
})
export class TutoringBookingType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The lesson.' })
  lessonId!: string;

  @Field(() => TutoringBookingStatus, { description: 'SEATED, WAITLISTED or CANCELLED.' })
  status!: BookingStatus;

  @Field(() => Int, {
    nullable: true,
    description: 'Place on the waitlist (1 = next), while WAITLISTED.',
  })
  waitlistPosition!: number | null;

  @Field(() => TutoringAttendance, {
    nullable: true,
    description: 'The attendance, once the tutor marks it.',
  })
  attendance!: Attendance | null;

  @Field(() => TutoringEnrolmentType, { description: 'The pupil.' })
  pupil!: TutoringEnrolmentType;
}

@ObjectType('TutoringFamilyBooking', {
  description: 'One of a family’s bookings, with what it needs to show it.',
})
export class TutoringFamilyBookingType {
  @Field(() => TutoringBookingType, { description: 'The booking.' })
  booking!: TutoringBookingType;

  @Field(() => TutoringLessonType, { description: 'The lesson.' })
  lesson!: TutoringLessonType;

  @Field(() => TutoringProgrammeType, { description: 'The programme.' })
  programme!: TutoringProgrammeType;

  @Field(() => TutoringRoomType, { description: 'Where.' })
  room!: TutoringRoomType;

  @Field(() => String, { description: 'The tutor’s name.' })
  tutorName!: string;

  @Field(() => Boolean, {
    description: 'True while the family may still give up the seat or leave the waitlist.',
  })
  cancellable!: boolean;
}

@ObjectType('TutoringReportTutor', { description: 'A tutor’s line of the hours report.' })
export class TutoringReportTutorType {
  @Field(() => ID, { description: 'The tutor assignment.' })
  tutorId!: string;

  @Field(() => String, { description: 'The tutor’s name.' })
  tutorName!: string;

  @Field(() => Int, { description: 'Lessons held (at least one pupil PRESENT).' })
  lessonsHeld!: number;

  @Field(() => Int, { description: 'Minutes of the lessons held.' })
  minutesDelivered!: number;
}

@ObjectType('TutoringReport', {
  description:
    'The hours report of a programme for its funder. A lesson counts as held when at least one pupil is PRESENT.',
})
export class TutoringReportType {
  @Field(() => TutoringProgrammeType, { description: 'The programme.' })
  programme!: TutoringProgrammeType;

  @Field(() => Int, { description: 'Lessons planned (not cancelled).' })
  lessonsPlanned!: number;

  @Field(() => Int, { description: 'Lessons held.' })
  lessonsHeld!: number;

  @Field(() => Int, { description: 'Tutor minutes delivered (the lessons held).' })
  tutorMinutesDelivered!: number;

  @Field(() => Int, { description: 'Pupil-minutes PRESENT.' })
  pupilMinutesPresent!: number;

  @Field(() => Int, { description: 'Pupil-minutes ABSENT.' })
  pupilMinutesAbsent!: number;

  @Field(() => Int, { description: 'Pupil-minutes JUSTIFIED.' })
  pupilMinutesJustified!: number;

  @Field(() => Int, { description: 'The budget, in minutes.' })
  budgetMinutes!: number;

  @Field(() => Int, { description: 'Minutes reserved by planned lessons.' })
  plannedMinutes!: number;

  @Field(() => Int, { description: 'Minutes used: the tutor minutes delivered.' })
  usedMinutes!: number;

  @Field(() => Int, { description: 'Minutes still to plan: budget minus planned.' })
  remainingMinutes!: number;

  @Field(() => [TutoringReportTutorType], { description: 'Per tutor.' })
  tutors!: TutoringReportTutorType[];
}

// ---- inputs ------------------------------------------------------------------------------------

@InputType('TutoringProgrammeInput', { description: 'A new programme (the Comune’s MANAGER).' })
export class TutoringProgrammeInput {
  @Field(() => ID, { description: 'The funding Comune.' })
  comuneId!: string;

  @Field(() => ID, { description: 'The provider, accredited by the Comune today.' })
  providerId!: string;

  @Field(() => String, { description: 'Title, 3 to 200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Description, up to 4000 characters.' })
  description?: string | null;

  @Field(() => String, { description: 'First day (yyyy-mm-dd).' })
  startsOn!: string;

  @Field(() => String, { description: 'Last day (yyyy-mm-dd), not before the first.' })
  endsOn!: string;

  @Field(() => Int, { description: 'The budget of tutor time in minutes (integer above 0).' })
  budgetMinutes!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Most pupils in a lesson, 1 to 10 (default 3).',
  })
  groupSizeLimit?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Cancellation notice in hours, 0 to 720 (default 24).',
  })
  cancellationNoticeHours?: number | null;
}

@InputType('TutoringProgrammeUpdate', {
  description: 'A programme’s new values (the Comune’s MANAGER).',
})
export class TutoringProgrammeUpdate {
  @Field(() => String, { description: 'Title, 3 to 200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Description, up to 4000 characters.' })
  description?: string | null;

  @Field(() => String, { description: 'First day (yyyy-mm-dd).' })
  startsOn!: string;

  @Field(() => String, { description: 'Last day (yyyy-mm-dd).' })
  endsOn!: string;

  @Field(() => Int, { description: 'The budget in minutes: not below the minutes planned.' })
  budgetMinutes!: number;

  @Field(() => Int, { nullable: true, description: 'Most pupils in a lesson, 1 to 10.' })
  groupSizeLimit?: number | null;

  @Field(() => Int, { nullable: true, description: 'Cancellation notice in hours, 0 to 720.' })
  cancellationNoticeHours?: number | null;

  @Field(() => TutoringProgrammeStatus, { nullable: true, description: 'OPEN or CLOSED.' })
  status?: ProgrammeStatus | null;
}

@InputType('TutoringRoomWindowInput', { description: 'A weekly availability window.' })
export class TutoringRoomWindowInput {
  @Field(() => Int, { description: 'ISO weekday: 1 Monday … 7 Sunday.' })
  weekday!: number;

  @Field(() => String, { description: 'Opening time, HH:MM (Rome).' })
  startsAt!: string;

  @Field(() => String, { description: 'Closing time, HH:MM (Rome), after the opening.' })
  endsAt!: string;

  @Field(() => String, { nullable: true, description: 'First valid day (yyyy-mm-dd).' })
  validFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Last valid day (yyyy-mm-dd).' })
  validUntil?: string | null;
}

@InputType('TutoringRoomInput', {
  description:
    'A room of the provider: without `id` a new one; with it, an edit (windows replaced).',
})
export class TutoringRoomInput {
  @Field(() => ID, { description: 'The provider.' })
  providerId!: string;

  @Field(() => ID, { nullable: true, description: 'The room to edit.' })
  id?: string | null;

  @Field(() => String, { description: 'Name, 3 to 200 characters, unique for the provider.' })
  name!: string;

  @Field(() => String, { description: 'Address, 3 to 300 characters.' })
  address!: string;

  @Field(() => [TutoringRoomWindowInput], { description: '1 to 30 weekly windows.' })
  windows!: TutoringRoomWindowInput[];
}

@InputType('TutoringLessonInput', {
  description: 'A lesson to plan, or the first of a weekly series (same local time each week).',
})
export class TutoringLessonInput {
  @Field(() => ID, { description: 'The programme.' })
  programmeId!: string;

  @Field(() => ID, { description: 'The tutor assignment (TutoringTutor.id).' })
  tutorId!: string;

  @Field(() => ID, { description: 'The room (of the programme’s provider).' })
  roomId!: string;

  @Field(() => Date, { description: 'Start (in the future, within the room’s availability).' })
  startsAt!: Date;

  @Field(() => Date, { description: 'End: 15 minutes to 8 hours after the start, same day.' })
  endsAt!: Date;

  @Field(() => Int, { description: 'Seats: 1 to the programme’s group size limit.' })
  capacity!: number;

  @Field(() => Int, { nullable: true, description: 'Weekly occurrences, 1 to 26 (default 1).' })
  weeks?: number | null;
}

@InputType('TutoringEnrolmentInput', { description: 'A pupil a family enrols in a programme.' })
export class TutoringEnrolmentInput {
  @Field(() => ID, { description: 'The programme.' })
  programmeId!: string;

  @Field(() => String, { description: 'First name, 1 to 80 characters.' })
  firstName!: string;

  @Field(() => String, { description: 'Last name, 1 to 80 characters.' })
  lastName!: string;

  @Field(() => String, { description: 'School class, 1 to 40 characters.' })
  schoolClass!: string;
}

@InputType('TutoringAttendanceInput', { description: 'One line of the attendance register.' })
export class TutoringAttendanceInput {
  @Field(() => ID, { description: 'A seated booking of the lesson.' })
  bookingId!: string;

  @Field(() => TutoringAttendance, { description: 'PRESENT, ABSENT or JUSTIFIED.' })
  attendance!: Attendance;
}
