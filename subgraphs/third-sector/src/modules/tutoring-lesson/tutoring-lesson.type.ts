import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TutoringLessonStatus, type LessonStatus } from './tutoring-lesson.enums.js';

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
