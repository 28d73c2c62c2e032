import { Field, ID, InputType, Int } from 'type-graphql';

/** The options of an `id` or `lessonId` argument naming a lesson. */
export const lessonArg = { description: 'The lesson.' } as const;

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
