import { Field, ID, InputType, Int } from 'type-graphql';
import { TutoringProgrammeStatus, type ProgrammeStatus } from './tutoring-programme.enums.js';

/** The options of a `programmeId` (or `id`) argument naming a programme. */
export const programmeArg = { description: 'The programme.' } as const;

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
    description:
      'The tariff per hour of tutor time delivered, in euro cents: a whole number from 1 to 100000 (1,000 euro per hour, a bound against typing errors, not a legal figure). Optional: without it the delivered hours wait, unpaid.',
  })
  hourlyTariffCents?: number | null;

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

  @Field(() => Int, {
    nullable: true,
    description:
      'The tariff per hour of tutor time delivered, in euro cents: a whole number from 1 to 100000 (1,000 euro per hour, a bound against typing errors, not a legal figure). Absent: the tariff stays as it is (once set it cannot be removed).',
  })
  hourlyTariffCents?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Most pupils in a lesson, 1 to 10.',
  })
  groupSizeLimit?: number | null;

  @Field(() => Int, { nullable: true, description: 'Cancellation notice in hours, 0 to 720.' })
  cancellationNoticeHours?: number | null;

  @Field(() => TutoringProgrammeStatus, { nullable: true, description: 'OPEN or CLOSED.' })
  status?: ProgrammeStatus | null;
}
