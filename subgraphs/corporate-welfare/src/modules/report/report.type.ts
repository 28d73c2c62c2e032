import { Field, Int, ObjectType } from 'type-graphql';
import { PlanPurposeEnum, PlanType } from '../plan/plan.type.js';

@ObjectType('WelfareCategoryUsage', {
  description: 'Credit given to and spent by the employees of one category of a plan, in cents.',
})
export class CategoryUsageType {
  @Field(() => String, { description: 'The category’s code.' })
  code!: string;

  @Field(() => String, { description: 'The category’s name.' })
  name!: string;

  @Field(() => Int, { description: 'Employees of the category with credit in the plan.' })
  employees!: number;

  @Field(() => Int, { description: 'Credited to them, less what was taken back.' })
  creditedCents!: number;

  @Field(() => Int, { description: 'Spent by them (services, reimbursements, fringe benefits).' })
  spentCents!: number;
}

@ObjectType('WelfarePurposeUsage', {
  description: 'What a plan’s credit paid for one purpose (art. 51 letter), in cents.',
})
export class PurposeUsageType {
  @Field(() => PlanPurposeEnum, { description: 'The purpose.' })
  purpose!: string;

  @Field(() => Int, { description: 'Spent, refunds deducted.' })
  spentCents!: number;

  @Field(() => Int, { description: 'Payments, approved claims or fringe benefits counted.' })
  count!: number;
}

@ObjectType('WelfareMonthUsage', {
  description: 'Credit given and spent in one month (Rome time), in cents.',
})
export class MonthUsageType {
  @Field(() => String, { description: 'The month, YYYY-MM.' })
  month!: string;

  @Field(() => Int, { description: 'Credited that month, less what was taken back.' })
  creditedCents!: number;

  @Field(() => Int, { description: 'Spent that month, refunds deducted.' })
  spentCents!: number;
}

@ObjectType('WelfarePlanReport', {
  description:
    'A plan’s usage, read from its book: totals, and by category of employee, by purpose (art. 51 letter) and by month. Seen by the employer’s HR.',
})
export class PlanReportType {
  @Field(() => PlanType, { description: 'The plan.' })
  plan!: PlanType;

  @Field(() => Int, { description: 'Employees with credit in the plan.' })
  employees!: number;

  @Field(() => Int, { description: 'Credited to the employees, less what was taken back.' })
  creditedCents!: number;

  @Field(() => Int, { description: 'Spent by the employees, refunds deducted.' })
  spentCents!: number;

  @Field(() => Int, {
    description: 'Unspent credit the plan’s end rule moved (returned or carried over).',
  })
  endedCents!: number;

  @Field(() => Int, { description: 'What the employees hold now.' })
  balanceCents!: number;

  @Field(() => Int, { description: 'Of it, held by payments in progress.' })
  heldCents!: number;

  @Field(() => [CategoryUsageType], { description: 'By category of employee, by code.' })
  byCategory!: CategoryUsageType[];

  @Field(() => [PurposeUsageType], { description: 'By purpose.' })
  byPurpose!: PurposeUsageType[];

  @Field(() => [MonthUsageType], { description: 'By month, oldest first.' })
  byMonth!: MonthUsageType[];
}
