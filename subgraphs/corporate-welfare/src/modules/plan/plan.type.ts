import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PLAN_END_RULES, PLAN_PURPOSES, PLAN_STATUSES } from './plan.entity.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const PlanPurposeEnum = enumOf(PLAN_PURPOSES);
export const PlanStatusEnum = enumOf(PLAN_STATUSES);
export const PlanEndRuleEnum = enumOf(PLAN_END_RULES);

registerEnumType(PlanPurposeEnum, {
  name: 'WelfarePlanPurpose',
  description: 'What a welfare plan’s credit may pay for (art. 51 TUIR).',
  valuesConfig: {
    SERVICES_IN_KIND: {
      description: 'Services in kind from the accredited catalogue (art. 51 c.2 f TUIR).',
    },
    EDUCATION_CHILDCARE: {
      description:
        'Education and care of children, reimbursed against receipts (art. 51 c.2 f-bis TUIR).',
    },
    ELDERLY_CARE: {
      description:
        'Care of elderly or dependent relatives, reimbursed against receipts (art. 51 c.2 f-ter TUIR).',
    },
    PUBLIC_TRANSPORT: {
      description: 'Public transport passes, reimbursed against receipts (art. 51 c.2 d-bis TUIR).',
    },
    FRINGE_BENEFIT: {
      description: 'Fringe benefits within the yearly cap (art. 51 c.3 TUIR).',
    },
  },
});

registerEnumType(PlanStatusEnum, {
  name: 'WelfarePlanStatus',
  description: 'Where a welfare plan is in its life.',
  valuesConfig: {
    DRAFT: { description: 'Being written by HR: employees see nothing of it yet.' },
    ACTIVE: { description: 'Published and funded: its employees hold and spend its credit.' },
    CLOSED: { description: 'Ended: its end rule has moved the unspent credit.' },
  },
});

registerEnumType(PlanEndRuleEnum, {
  name: 'WelfarePlanEndRule',
  description: 'What the regulation says of credit unspent at the plan’s end.',
  valuesConfig: {
    RETURN_TO_EMPLOYER: { description: 'It returns to the employer.' },
    CARRY_OVER: { description: 'It carries over to the employee’s credit in the next plan.' },
  },
});

@ObjectType('WelfarePlanCategory', {
  description:
    'A category of employees a plan covers (“categoria omogenea”, defined by an objective criterion), with the credit of each of its employees.',
})
export class PlanCategoryType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => String, {
    description: 'The code employees are enrolled with (A-Z, 0-9 and _, e.g. OPERAI).',
  })
  code!: string;

  @Field(() => String, { description: 'The category’s name.' })
  name!: string;

  @Field(() => String, {
    description: 'The objective criterion that defines it (level, shift, length of service).',
  })
  criterion!: string;

  @Field(() => Int, { description: 'The credit of each employee of the category, in cents.' })
  creditCents!: number;
}

@ObjectType('WelfarePlan', {
  description:
    'An employer’s welfare plan for one year: the categories it covers and their credit, what the credit may pay for, and the rule at its end. Seen by the employer’s HR. Its regulation downloads at `GET /downloads/corporate-welfare/files/plan-regulation?planId=` (HR only).',
})
export class PlanType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The employer (identity Organisation id).' })
  employerId!: string;

  @Field(() => String, { description: 'The plan’s name.' })
  name!: string;

  @Field(() => Int, { description: 'The tax year it belongs to.' })
  year!: number;

  @Field(() => String, { description: 'First day the credit can be spent (YYYY-MM-DD, Rome).' })
  validFrom!: string;

  @Field(() => String, { description: 'Last day the credit can be spent (YYYY-MM-DD, Rome).' })
  validUntil!: string;

  @Field(() => PlanStatusEnum, { description: 'Where the plan is in its life.' })
  status!: string;

  @Field(() => [PlanPurposeEnum], { description: 'What the credit may pay for.' })
  purposes!: string[];

  @Field(() => [String], {
    description: 'The catalogue’s offer categories the credit pays in kind (SERVICES_IN_KIND).',
  })
  coveredCategories!: string[];

  @Field(() => PlanEndRuleEnum, { description: 'What happens to unspent credit at the end.' })
  endRule!: string;

  @Field(() => Boolean, {
    description: 'Employees may convert a performance bonus into credit.',
  })
  bonusConversion!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The regulation’s file name, once uploaded (required to publish).',
  })
  regulationFileName?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The regulation’s size in bytes, once uploaded.',
  })
  regulationSizeBytes?: number | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When HR published it: no longer editable, ready to be funded (it stays DRAFT until funded).',
  })
  publishedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the employer funded it.' })
  fundedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was closed.' })
  closedAt?: Date | null;

  @Field(() => [PlanCategoryType], { description: 'The categories it covers, by code.' })
  categories!: PlanCategoryType[];
}
