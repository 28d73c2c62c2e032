import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TutoringEnrolmentType } from '../tutoring-enrolment/tutoring-enrolment.type.js';
import { TutoringLessonType } from '../tutoring-lesson/tutoring-lesson.type.js';
import { TutoringProgrammeType } from '../tutoring-programme/tutoring-programme.type.js';
import { TutoringRoomType } from '../tutoring-room/tutoring-room.type.js';
import {
  TutoringAttendance,
  TutoringBookingStatus,
  type Attendance,
  type BookingStatus,
} from './tutoring-booking.enums.js';
import type { BookingView } from './tutoring-booking.repository.js';

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

/** A booking as the API shows it. */
export function bookingType(view: BookingView): TutoringBookingType {
  return {
    id: view.booking.id,
    lessonId: view.booking.lessonId,
    status: view.booking.status,
    waitlistPosition: view.position,
    attendance: view.booking.attendance,
    pupil: view.enrolment,
  };
}
