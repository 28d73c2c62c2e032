import { Field, ID, InputType } from 'type-graphql';
import { TutoringAttendance, type Attendance } from '../tutoring-booking/tutoring-booking.enums.js';

@InputType('TutoringAttendanceInput', { description: 'One line of the attendance register.' })
export class TutoringAttendanceInput {
  @Field(() => ID, { description: 'A seated booking of the lesson.' })
  bookingId!: string;

  @Field(() => TutoringAttendance, { description: 'PRESENT, ABSENT or JUSTIFIED.' })
  attendance!: Attendance;
}
