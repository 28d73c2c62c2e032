import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TutoringProgrammeType } from '../tutoring-programme/tutoring-programme.type.js';

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
