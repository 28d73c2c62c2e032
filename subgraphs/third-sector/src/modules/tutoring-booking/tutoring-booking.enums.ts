import { registerEnumType } from 'type-graphql';
import { enumOf } from '../tutoring-shared/values.js';

export const BOOKING_STATUSES = ['SEATED', 'WAITLISTED', 'CANCELLED'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** A seated pupil's attendance, a column of the booking (the register writes it). */
export const ATTENDANCES = ['PRESENT', 'ABSENT', 'JUSTIFIED'] as const;
export type Attendance = (typeof ATTENDANCES)[number];

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
