import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BONUS_CONVERSION_STATUSES } from './bonus-conversion.entity.js';

export const BonusConversionStatusEnum = Object.fromEntries(
  BONUS_CONVERSION_STATUSES.map((s) => [s, s]),
) as { [K in (typeof BONUS_CONVERSION_STATUSES)[number]]: K };

registerEnumType(BonusConversionStatusEnum, {
  name: 'BonusConversionStatus',
  description: 'Where a performance-bonus conversion is.',
  valuesConfig: {
    REQUESTED: { description: 'Asked by the employee: waiting for HR.' },
    CONFIRMED: { description: 'Confirmed by HR: the credit joined the employee’s account.' },
    REJECTED: { description: 'Rejected by HR, with a reason.' },
  },
});

@ObjectType('BonusCashOutcome', {
  description: 'What a cash payment of (part of) a bonus leaves the employee, in cents.',
})
export class BonusCashOutcomeType {
  @Field(() => Int, { description: 'The cash paid before withholdings.' })
  grossCents!: number;

  @Field(() => Int, { description: 'The employee’s social security contribution withheld.' })
  contributionCents!: number;

  @Field(() => Int, { description: 'The substitute tax withheld.' })
  taxCents!: number;

  @Field(() => Int, { description: 'What reaches the employee.' })
  netCents!: number;
}

@ObjectType('BonusComparison', {
  description:
    'Net cash against welfare credit for one performance bonus, computed from the plan year’s configured rates (with their source).',
})
export class BonusComparisonType {
  @Field(() => Int, { description: 'The tax year (the plan’s).' })
  year!: number;

  @Field(() => Int, { description: 'The bonus, in cents.' })
  bonusCents!: number;

  @Field(() => Int, { description: 'The part converted into credit, in cents.' })
  convertedCents!: number;

  @Field(() => BonusCashOutcomeType, { description: 'The whole bonus paid as cash.' })
  allCash!: BonusCashOutcomeType;

  @Field(() => BonusCashOutcomeType, { description: 'The part not converted, paid as cash.' })
  cashPart!: BonusCashOutcomeType;

  @Field(() => Int, {
    description: 'The credit: the converted part, free of tax and contributions.',
  })
  creditCents!: number;

  @Field(() => Int, {
    description: 'Net cash plus credit with the conversion, less the net of all cash.',
  })
  gainCents!: number;

  @Field(() => Int, { description: 'The substitute tax rate, in basis points (100 = 1%).' })
  taxBasisPoints!: number;

  @Field(() => Int, {
    description: 'The employee’s contribution rate, in basis points (919 = 9.19%).',
  })
  contributionBasisPoints!: number;

  @Field(() => String, { description: 'The laws the rates come from.' })
  source!: string;
}

@ObjectType('BonusConversion', {
  description:
    'An employee’s request to convert a performance bonus into welfare credit, with the comparison shown, and HR’s decision. Seen by the employee and by the employer’s HR.',
})
export class BonusConversionType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The employer (identity Organisation id).' })
  employerId!: string;

  @Field(() => ID, { description: 'The plan the credit joins.' })
  planId!: string;

  @Field(() => ID, { description: 'The employee (enrolment id).' })
  employeeId!: string;

  @Field(() => Int, { description: 'The bonus, in cents.' })
  bonusCents!: number;

  @Field(() => Int, { description: 'The part converted, in cents.' })
  convertedCents!: number;

  @Field(() => Int, { description: 'Net cash had the whole bonus been paid as cash.' })
  cashNetIfAllCashCents!: number;

  @Field(() => Int, { description: 'Net cash of the part not converted.' })
  cashNetCents!: number;

  @Field(() => Int, { description: 'The substitute tax rate used, in basis points.' })
  taxBasisPoints!: number;

  @Field(() => Int, { description: 'The contribution rate used, in basis points.' })
  contributionBasisPoints!: number;

  @Field(() => String, { description: 'The laws the rates came from.' })
  ratesSource!: string;

  @Field(() => BonusConversionStatusEnum, { description: 'Where the request is.' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'HR’s reason, for a rejection.' })
  decisionReason?: string | null;

  @Field(() => Date, { description: 'When the employee asked.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When HR decided.' })
  decidedAt?: Date | null;
}

@InputType('BonusConversionInput', {
  description: 'A performance bonus to convert, all or in part, into a plan’s credit.',
})
export class BonusConversionInput {
  @Field(() => ID, { description: 'The plan (one that allows conversion).' })
  planId!: string;

  @Field(() => Int, { description: 'The bonus, in cents.' })
  bonusCents!: number;

  @Field(() => Int, { description: 'The part to convert, in cents (1 to the bonus).' })
  convertedCents!: number;

  @Field(() => Int, {
    description:
      'Last year’s employment income, in cents (the relief has an income limit, see the rates’ source).',
  })
  priorYearIncomeCents!: number;
}
