import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FRINGE_BENEFIT_SOURCES } from './fringe.entity.js';
import { FRINGE_BENEFIT_LEVELS } from './fringe.service.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const FringeBenefitLevelEnum = enumOf(FRINGE_BENEFIT_LEVELS);
export const FringeBenefitSourceEnum = enumOf(FRINGE_BENEFIT_SOURCES);

registerEnumType(FringeBenefitLevelEnum, {
  name: 'FringeBenefitLevel',
  description: 'Where an employee’s fringe benefits of a tax year stand against the cap.',
  valuesConfig: {
    OK: { description: 'Below the warning threshold.' },
    WARNING: {
      description: 'At or above the warning threshold, within the cap: close to the cliff.',
    },
    EXCEEDED: {
      description:
        'Over the cap: the whole amount is taxable, not only the excess (art. 51 c.3 TUIR).',
    },
  },
});

registerEnumType(FringeBenefitSourceEnum, {
  name: 'FringeBenefitSource',
  description: 'Where a fringe benefit comes from.',
  valuesConfig: {
    DECLARED: { description: 'Given outside the platform and declared by the employer’s HR.' },
    PLAN: { description: 'Granted from the employee’s credit in a welfare plan.' },
  },
});

@ObjectType('FringeBenefit', {
  description: 'One fringe benefit (art. 51 c.3 TUIR) of an employee, in a tax year.',
})
export class FringeBenefitType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The employee.' })
  employeeId!: string;

  @Field(() => Int, { description: 'The tax year it counts in.' })
  taxYear!: number;

  @Field(() => FringeBenefitSourceEnum, {
    description: 'Declared from outside or granted from a plan.',
  })
  source!: string;

  @Field(() => Int, { description: 'The amount, in cents.' })
  amountCents!: number;

  @Field(() => String, { description: 'What it is (a fuel voucher, a utility bill paid…).' })
  description!: string;

  @Field(() => String, { description: 'The day it was given (YYYY-MM-DD, Rome).' })
  benefitDate!: string;

  @Field(() => ID, { nullable: true, description: 'The plan whose credit paid it (PLAN only).' })
  planId?: string | null;
}

@ObjectType('FringeBenefitStatus', {
  description:
    'An employee’s fringe benefits of a tax year against the cap that applies to them (“the cliff”: past the cap the whole amount becomes taxable).',
})
export class FringeBenefitStatusType {
  @Field(() => ID, { description: 'The employee.' })
  employeeId!: string;

  @Field(() => Int, { description: 'The tax year.' })
  year!: number;

  @Field(() => Int, {
    description:
      'The cap of the year for this employee (with or without dependent children), in cents.',
  })
  capCents!: number;

  @Field(() => String, { description: 'The law that sets the cap.' })
  capSource!: string;

  @Field(() => Int, { description: 'The running total from which a warning is shown, in cents.' })
  warningCents!: number;

  @Field(() => Int, { description: 'Declared by HR from outside the platform, in cents.' })
  declaredCents!: number;

  @Field(() => Int, { description: 'Granted from the plans’ credit, in cents.' })
  grantedCents!: number;

  @Field(() => Int, { description: 'The running total (declared and granted), in cents.' })
  totalCents!: number;

  @Field(() => Int, {
    description: 'What can still be given without crossing the cap, in cents (0 once crossed).',
  })
  remainingCents!: number;

  @Field(() => FringeBenefitLevelEnum, { description: 'OK, WARNING or EXCEEDED.' })
  level!: string;
}

@ObjectType('EmployeeFringeBenefitStatus', {
  description: 'An employee of the employer, with their fringe benefits of a tax year (HR’s view).',
})
export class EmployeeFringeBenefitStatusType {
  @Field(() => ID, { description: 'The employee.' })
  employeeId!: string;

  @Field(() => String, { description: 'Given name.' })
  givenName!: string;

  @Field(() => String, { description: 'Family name.' })
  familyName!: string;

  @Field(() => String, { description: 'The employee’s category code.' })
  categoryCode!: string;

  @Field(() => Int, {
    description: 'Fiscally dependent children, as declared (they raise the cap).',
  })
  dependentChildren!: number;

  @Field(() => FringeBenefitStatusType, { description: 'Where they stand against the cap.' })
  status!: FringeBenefitStatusType;
}

@ObjectType('FringeBenefitChange', {
  description:
    'A fringe benefit declared or granted, and where the employee stands afterwards (WARNING near the cap).',
})
export class FringeBenefitChangeType {
  @Field(() => FringeBenefitType, { description: 'The benefit recorded.' })
  benefit!: FringeBenefitType;

  @Field(() => FringeBenefitStatusType, { description: 'The employee’s status after it.' })
  status!: FringeBenefitStatusType;
}

@InputType('DeclareFringeBenefitInput', {
  description: 'A fringe benefit given outside the platform, declared by the employer’s HR.',
})
export class DeclareFringeBenefitInput {
  @Field(() => ID, { description: 'The employer (identity Organisation id).' })
  employerId!: string;

  @Field(() => ID, { description: 'The employee (of that employer).' })
  employeeId!: string;

  @Field(() => Int, { description: 'The amount, in cents (1 to 100,000,000).' })
  amountCents!: number;

  @Field(() => String, { description: 'What it is (3 to 200 characters).' })
  description!: string;

  @Field(() => String, {
    description: 'The day it was given (YYYY-MM-DD, not in the future): its year is the tax year.',
  })
  benefitDate!: string;
}

@InputType('GrantFringeBenefitInput', {
  description: 'A fringe benefit granted by HR from an employee’s credit in a plan.',
})
export class GrantFringeBenefitInput {
  @Field(() => ID, { description: 'The employer (identity Organisation id).' })
  employerId!: string;

  @Field(() => ID, { description: 'The employee (of that employer).' })
  employeeId!: string;

  @Field(() => ID, {
    description: 'The ACTIVE plan allowing FRINGE_BENEFIT, in force today, whose credit pays it.',
  })
  planId!: string;

  @Field(() => Int, { description: 'The amount, in cents: within the credit and the cap.' })
  amountCents!: number;

  @Field(() => String, { description: 'What it is (3 to 200 characters).' })
  description!: string;

  @Field(() => ID, {
    description: 'The client’s idempotency key (a UUID): the same key grants once.',
  })
  requestId!: string;
}
