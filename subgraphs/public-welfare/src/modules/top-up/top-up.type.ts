import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ScheduledTopUpStatus } from './top-up.enums.js';

@ObjectType('TopUpLine', { description: 'What a top-up did for one approved application.' })
export class TopUpLineType {
  @Field(() => ID, { description: 'The approved application.' })
  applicationId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The card credited; null when the applicant has no live card.',
  })
  cardId!: string | null;

  @Field(() => GraphQLSafeInt, { description: 'Cents credited by this call (0 for a replay).' })
  creditedCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents credited for the application so far.' })
  totalCreditedCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'The entitlement (the approved amount), in cents.' })
  entitlementCents!: number;
}

@ObjectType('TopUpResult', { description: 'The outcome of a top-up.' })
export class TopUpResultType {
  @Field(() => [TopUpLineType], { description: 'One line per approved application considered.' })
  lines!: TopUpLineType[];

  @Field(() => GraphQLSafeInt, { description: 'Cents credited by this call, in total.' })
  creditedCents!: number;

  @Field(() => Int, {
    description: 'Approved applications without a live card (nothing credited).',
  })
  withoutCard!: number;
}

@ObjectType('SweepResult', {
  description: 'The unspent credit a sweep returned to the campaign’s fund.',
})
export class SweepResultType {
  @Field(() => Int, { description: 'Card accounts emptied.' })
  accounts!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents returned to the fund.' })
  returnedCents!: number;
}

@ObjectType('ScheduledTopUpError', {
  description: 'Why the scheduler’s top-up was refused, Italian first, English second.',
})
export class ScheduledTopUpErrorType {
  @Field(() => String, { description: 'The refusal in Italian.' })
  it!: string;

  @Field(() => String, { description: 'The refusal in English.' })
  en!: string;
}

@ObjectType('ScheduledTopUp', {
  description:
    'A tranche of a campaign’s top-up scheduled for a day: on that day (Italian time) the scheduler credits every APPROVED application’s card, as `topUpCampaign` would.',
})
export class ScheduledTopUpType {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => Int, { description: 'The tranche number, 1 to 20 (one schedule per number).' })
  number!: number;

  @Field(() => Int, { description: 'Percent of each entitlement the tranche credits, 1 to 100.' })
  percent!: number;

  @Field(() => String, { description: 'The day it is due (YYYY-MM-DD, Italian days).' })
  dueOn!: string;

  @Field(() => ScheduledTopUpStatus, { description: 'Where the tranche is.' })
  status!: string;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'Cents the scheduler credited (DONE only; 0 when every card already had this tranche).',
  })
  creditedCents!: number | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the scheduler applied it (DONE) or was refused (FAILED).',
  })
  appliedAt!: Date | null;

  @Field(() => ScheduledTopUpErrorType, {
    nullable: true,
    description: 'Why the top-up was refused (FAILED only).',
  })
  lastError!: ScheduledTopUpErrorType | null;

  @Field(() => ID, { description: 'The staff member who scheduled it.' })
  createdBy!: string;

  @Field(() => Date, { description: 'When it was scheduled.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was cancelled (CANCELLED only).' })
  cancelledAt!: Date | null;
}

@ObjectType('TopUpSchedule', {
  description:
    'A campaign’s top-ups by date and the automatic return of unspent credit after its spending window.',
})
export class TopUpScheduleType {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => String, {
    description: 'Today in Italy (YYYY-MM-DD): the earliest day a tranche can be scheduled for.',
  })
  today!: string;

  @Field(() => String, {
    description:
      'The last day of the spending window (YYYY-MM-DD): the latest day a tranche can be scheduled for. The day after, unspent credit returns to the campaign’s fund by itself.',
  })
  spendingUntil!: string;

  @Field(() => [ScheduledTopUpType], { description: 'The scheduled tranches, by number.' })
  tranches!: ScheduledTopUpType[];

  @Field(() => GraphQLSafeInt, {
    description: 'Unspent credit returned from the cards to the campaign’s fund, in cents.',
  })
  returnedCents!: number;

  @Field(() => Date, { nullable: true, description: 'When unspent credit was last returned.' })
  returnedAt!: Date | null;
}

@ObjectType('PlannedTopUp', {
  description: 'A tranche a recurring schedule would write (nothing is written yet).',
})
export class PlannedTopUpType {
  @Field(() => Int, { description: 'The tranche number it would take, 1 to 20.' })
  number!: number;

  @Field(() => Int, {
    description: 'Percent of each entitlement; the tranches of one plan add up to 100.',
  })
  percent!: number;

  @Field(() => String, { description: 'The day (YYYY-MM-DD) the scheduler would credit it.' })
  dueOn!: string;
}
