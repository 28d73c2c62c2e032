import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CAP_PERIODS, EARNING_KINDS, VOLUNTEERING_UNITS } from './earning.entity.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const EarningKindEnum = enumOf(EARNING_KINDS);
export const CapPeriodEnum = enumOf(CAP_PERIODS);
export const VolunteeringUnitEnum = enumOf(VOLUNTEERING_UNITS);
export const RewardOutcomeEnum = enumOf(['PAID', 'ALREADY_EARNED', 'NO_RULE', 'UNFUNDED'] as const);

registerEnumType(EarningKindEnum, {
  name: 'IesEarningKind',
  description: 'What an earning rule of an IES circuit rewards.',
  valuesConfig: {
    LOCAL_PURCHASE: {
      description: 'A citizen’s payment to a member business: a share returned in IES.',
    },
    ATTENDANCE: { description: 'An attendance marked present in a tutoring register.' },
    VOLUNTEERING: {
      description: 'A volunteering shift confirmed by an association or cooperative member.',
    },
    SHARING: { description: 'Distinct visits of a citizen’s link to an initiative of the Comune.' },
  },
});

registerEnumType(CapPeriodEnum, {
  name: 'IesCapPeriod',
  description: 'The calendar period (in Italy) a rule’s cap per person runs over.',
  valuesConfig: {
    DAY: { description: 'A day.' },
    WEEK: { description: 'A week, from Monday.' },
    MONTH: { description: 'A calendar month.' },
    YEAR: { description: 'A calendar year.' },
  },
});

registerEnumType(VolunteeringUnitEnum, {
  name: 'IesVolunteeringUnit',
  description: 'What a volunteering rule pays per.',
  valuesConfig: {
    HOUR: { description: 'Each hour of the shift (quarters of an hour pro rata).' },
    SHIFT: { description: 'Each shift, whatever its length.' },
  },
});

registerEnumType(RewardOutcomeEnum, {
  name: 'IesRewardOutcome',
  description: 'What became of a claim of a reward.',
  valuesConfig: {
    PAID: { description: 'Recorded and paid (in full, or up to the cap: see the reward).' },
    ALREADY_EARNED: { description: 'The source had already earned: nothing more.' },
    NO_RULE: { description: 'No rule in force rewards it: nothing paid.' },
    UNFUNDED: { description: 'The rewards fund could not pay: nothing recorded.' },
  },
});

@ObjectType('IesEarningRule', {
  description:
    'A rule of earning by taking part in an IES circuit, configured by its staff, paid out of the circuit’s rewards fund.',
})
export class EarningRuleType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field(() => EarningKindEnum, { description: 'What it rewards.' })
  kind!: string;

  @Field({ description: 'Its name, shown to the members.' })
  name!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'ATTENDANCE, VOLUNTEERING, SHARING: cents of IES per reward (per hour or shift).',
  })
  amountCents?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'LOCAL_PURCHASE: the share of the payment returned, in basis points (100 = 1%).',
  })
  basisPoints?: number | null;

  @Field(() => VolunteeringUnitEnum, {
    nullable: true,
    description: 'VOLUNTEERING: per hour or per shift.',
  })
  volunteeringUnit?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'SHARING: the distinct visits that earn one reward.',
  })
  visitsPerReward?: number | null;

  @Field(() => Int, { description: 'The most a person earns with it per period, in cents.' })
  capCents!: number;

  @Field(() => CapPeriodEnum, { description: 'The period of the cap.' })
  capPeriod!: string;

  @Field({ description: 'The first day it pays (in Italy, YYYY-MM-DD).' })
  startsOn!: string;

  @Field(() => String, { nullable: true, description: 'The last day it pays; null: no end.' })
  endsOn?: string | null;

  @Field({ description: 'False once deactivated: it pays no more.' })
  active!: boolean;
}

@InputType('IesEarningRuleInput', { description: 'A rule as the staff writes it.' })
export class EarningRuleInputType {
  @Field(() => EarningKindEnum, { description: 'What it rewards (fixed once created).' })
  kind!: string;

  @Field({ description: 'Its name, 3 to 120 characters.' })
  name!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'ATTENDANCE, VOLUNTEERING, SHARING: cents per reward, 1 to 100000.',
  })
  amountCents?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'LOCAL_PURCHASE: basis points of the payment, 1 to 5000.',
  })
  basisPoints?: number | null;

  @Field(() => VolunteeringUnitEnum, { nullable: true, description: 'VOLUNTEERING: the unit.' })
  volunteeringUnit?: string | null;

  @Field(() => Int, { nullable: true, description: 'SHARING: distinct visits per reward.' })
  visitsPerReward?: number | null;

  @Field(() => Int, { description: 'The cap per person and period, in cents.' })
  capCents!: number;

  @Field(() => CapPeriodEnum, { description: 'The period of the cap.' })
  capPeriod!: string;

  @Field({ description: 'The first day it pays (YYYY-MM-DD).' })
  startsOn!: string;

  @Field(() => String, { nullable: true, description: 'The last day it pays; null: no end.' })
  endsOn?: string | null;
}

@ObjectType('IesReward', { description: 'A reward earned by taking part, one per source.' })
export class RewardType {
  @Field(() => ID, { description: 'The reward’s id, also the id of its REWARD transfer.' })
  id!: string;

  @Field(() => ID, { description: 'The rule that paid it.' })
  ruleId!: string;

  @Field(() => ID, { description: 'The member rewarded.' })
  memberId!: string;

  @Field({ description: 'The member’s name.' })
  memberName!: string;

  @Field(() => EarningKindEnum, { description: 'What it rewards.' })
  kind!: string;

  @Field({
    description:
      'Its source (`attendance:<id>`, `shift:<id>`, `payment:<id>`, `share:<link>:<n>`).',
  })
  source!: string;

  @Field(() => Int, { description: 'What the rule grants for the source, in cents.' })
  requestedCents!: number;

  @Field(() => Int, {
    description: 'What was paid, in cents: less than requested when the period’s cap was reached.',
  })
  paidCents!: number;

  @Field({ description: 'Whether the cap cut it (paid less than requested).' })
  capped!: boolean;

  @Field({ description: 'The first day of the cap period it counts in.' })
  periodStart!: string;

  @Field({
    description:
      'What it was for, in Italian (read in the reader’s language: see `descriptionEn`).',
  })
  description!: string;

  @Field({ description: 'What it was for, in English.' })
  descriptionEn!: string;

  @Field({ description: 'When it was earned.' })
  createdAt!: Date;
}

@ObjectType('IesEarningProgress', {
  description: 'A rule in force and what the member earned with it this period.',
})
export class EarningProgressType {
  @Field(() => EarningRuleType, { description: 'The rule.' })
  rule!: EarningRuleType;

  @Field(() => Int, { description: 'Earned with it in the current period, in cents.' })
  earnedCents!: number;

  @Field(() => Int, { description: 'What is left under the cap this period, in cents.' })
  capLeftCents!: number;
}

@ObjectType('IesShareInitiative', { description: 'An initiative of the Comune citizens share.' })
export class ShareInitiativeType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field({ description: 'Its title.' })
  title!: string;

  @Field({ description: 'Where a visit of a shared link lands.' })
  url!: string;

  @Field({ description: 'Whether it can be shared.' })
  active!: boolean;
}

@InputType('IesShareInitiativeInput', { description: 'A new initiative to share.' })
export class ShareInitiativeInputType {
  @Field({ description: 'Its title, 3 to 200 characters.' })
  title!: string;

  @Field({ description: 'Its web address (http or https).' })
  url!: string;
}

@ObjectType('IesShareLink', { description: 'A citizen’s personal link to an initiative.' })
export class ShareLinkType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field({ description: 'The token of its address (`/condividi/<token>`).' })
  token!: string;

  @Field(() => ID, { description: 'The initiative.' })
  initiativeId!: string;

  @Field(() => Int, { description: 'Distinct visits counted.' })
  visits!: number;
}

@ObjectType('IesMyEarnings', { description: 'The calling citizen’s earning in a circuit.' })
export class MyEarningsType {
  @Field(() => [EarningProgressType], { description: 'The rules in force and the cap left.' })
  rules!: EarningProgressType[];

  @Field(() => [RewardType], { description: 'The rewards earned, newest first (100 at most).' })
  rewards!: RewardType[];

  @Field(() => [ShareInitiativeType], { description: 'The initiatives that can be shared.' })
  initiatives!: ShareInitiativeType[];

  @Field(() => [ShareLinkType], { description: 'The citizen’s personal links.' })
  links!: ShareLinkType[];
}

@InputType('IesVolunteerShiftInput', { description: 'A volunteering shift to confirm.' })
export class VolunteerShiftInputType {
  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field(() => ID, { description: 'The association or cooperative confirming it.' })
  organisationId!: string;

  @Field({ description: 'The volunteer’s codice fiscale (a citizen member of the circuit).' })
  fiscalCode!: string;

  @Field({ description: 'The day of the shift (YYYY-MM-DD, not in the future).' })
  day!: string;

  @Field(() => Float, { description: 'Its hours, 0.25 to 24 in quarters of an hour.' })
  hours!: number;

  @Field({ description: 'What was done, 3 to 300 characters.' })
  description!: string;
}

@ObjectType('IesVolunteerShiftResult', { description: 'A confirmed shift and its reward.' })
export class VolunteerShiftResultType {
  @Field(() => ID, { description: 'The shift.' })
  shiftId!: string;

  @Field(() => RewardOutcomeEnum, { description: 'What became of its reward.' })
  outcome!: string;

  @Field(() => RewardType, { nullable: true, description: 'The reward, when one was recorded.' })
  reward?: RewardType | null;
}

@ObjectType('IesShareVisit', { description: 'A visit of a shared link.' })
export class ShareVisitType {
  @Field({ description: 'Where to send the visitor (the initiative).' })
  url!: string;

  @Field({ description: 'Whether it counted (a new visitor of the link today).' })
  counted!: boolean;
}

@ObjectType('IesAttendanceSync', { description: 'A pass over third-sector’s attendance feed.' })
export class AttendanceSyncType {
  @Field(() => Int, { description: 'Attendances read.' })
  read!: number;

  @Field(() => Int, { description: 'Rewards paid.' })
  rewarded!: number;
}
