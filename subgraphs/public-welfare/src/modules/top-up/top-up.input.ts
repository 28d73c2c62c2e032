import { Field, ID, InputType, Int } from 'type-graphql';

@InputType('TrancheInput', {
  description:
    'One tranche of a top-up. The same tranche number again is a replay and credits nothing more; the total never exceeds the entitlement.',
})
export class TrancheInput {
  @Field(() => Int, { description: 'Tranche number, 1 to 20.' })
  number!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'Percent of the entitlement this tranche credits, 1 to 100 (default 100), capped at what is still due.',
  })
  percent?: number | null;
}

@InputType('ScheduleTopUpInput', { description: 'A tranche of a campaign’s top-up, by date.' })
export class ScheduleTopUpInput {
  @Field(() => ID, { description: 'The PUBLISHED or CLOSED campaign.' })
  campaignId!: string;

  @Field(() => Int, {
    description:
      'Tranche number, 1 to 20, neither scheduled (PENDING or DONE) nor credited by hand.',
  })
  number!: number;

  @Field(() => Int, { description: 'Percent of each entitlement, 1 to 100.' })
  percent!: number;

  @Field(() => String, {
    description: 'The day (YYYY-MM-DD): from today to the last day of the spending window.',
  })
  dueOn!: string;
}

@InputType('RecurringTopUpInput', {
  description:
    'Recurring tranches of a campaign’s top-up: on one day of each month for a number of months (“il giorno 1 di ogni mese per 6 mesi”); their percents add up to 100.',
})
export class RecurringTopUpInput {
  @Field(() => ID, { description: 'The PUBLISHED or CLOSED campaign.' })
  campaignId!: string;

  @Field(() => String, {
    description: 'The month of the first tranche (YYYY-MM); its day must not be past.',
  })
  startMonth!: string;

  @Field(() => Int, {
    description:
      'The day of each month, 1 to 31; a day the month lacks (29 to 31) is its last day.',
  })
  dayOfMonth!: number;

  @Field(() => Int, {
    description:
      'How many months (tranches), 2 to 20; the last one within the spending window, the numbers (after those used) at most 20.',
  })
  months!: number;
}
