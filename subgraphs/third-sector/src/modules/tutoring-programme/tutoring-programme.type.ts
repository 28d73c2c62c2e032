import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TutoringProgrammeStatus, type ProgrammeStatus } from './tutoring-programme.enums.js';

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

  @Field(() => Int, {
    nullable: true,
    description:
      'What the Comune pays the provider per hour of tutor time delivered (a lesson held, with at least one pupil PRESENT), in euro cents; null until set (the delivered hours then wait for it, unpaid). Statements in the Comune’s reimbursement batches use the tariff in force when the batch is made.',
  })
  hourlyTariffCents!: number | null;

  @Field(() => Int, { description: 'Most pupils in a lesson (1 to 10; default 3).' })
  groupSizeLimit!: number;

  @Field(() => Int, {
    description: 'Hours before a lesson after which a family can no longer give up its seat.',
  })
  cancellationNoticeHours!: number;

  @Field(() => TutoringProgrammeStatus, { description: 'OPEN or CLOSED.' })
  status!: ProgrammeStatus;
}
