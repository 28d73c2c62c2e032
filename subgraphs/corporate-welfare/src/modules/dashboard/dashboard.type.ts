import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PlanStatusEnum } from '../plan/plan.type.js';

@ObjectType('WelfarePlanUsage', {
  description: 'One plan’s money, from the book: funded, credited, spent by purpose, left.',
})
export class PlanUsageType {
  @Field(() => ID, { description: 'The plan.' })
  planId!: string;

  @Field(() => String, { description: 'The plan’s name.' })
  name!: string;

  @Field(() => PlanStatusEnum, { description: 'Where the plan is in its life.' })
  status!: string;

  @Field(() => Int, { description: 'Employees with a credit account in the plan.' })
  employees!: number;

  @Field(() => Int, { description: 'What the employer put into the plan, in cents.' })
  fundedCents!: number;

  @Field(() => Int, { description: 'Funded, not credited to an employee, in cents.' })
  poolCents!: number;

  @Field(() => Int, {
    description:
      'Credited to employees (credits, bonus conversions, carry-overs, less reversals), in cents.',
  })
  creditedCents!: number;

  @Field(() => Int, {
    description: 'Catalogue services paid with the credit, less refunds (art. 51 c.2 f), in cents.',
  })
  servicesCents!: number;

  @Field(() => Int, { description: 'Approved reimbursements of documented expenses, in cents.' })
  reimbursementsCents!: number;

  @Field(() => Int, {
    description: 'Fringe benefits granted from the credit (art. 51 c.3), in cents.',
  })
  fringeBenefitsCents!: number;

  @Field(() => Int, {
    description:
      'Unspent credit moved by the plan’s end rule (returned or carried over), in cents.',
  })
  endedCents!: number;

  @Field(() => Int, { description: 'The employees’ balances (credited less spent), in cents.' })
  balanceCents!: number;

  @Field(() => Int, { description: 'Held by checkouts not yet completed, in cents.' })
  heldCents!: number;
}

@ObjectType('EmployerWelfareDashboard', {
  description:
    'The employer’s corporate welfare at a glance for a tax year: its plans’ money and the employees near or over the fringe-benefit cap.',
})
export class EmployerDashboardType {
  @Field(() => ID, { description: 'The employer (identity Organisation id).' })
  employerId!: string;

  @Field(() => Int, { description: 'The tax year.' })
  year!: number;

  @Field(() => Int, { description: 'Employees enrolled (leavers included).' })
  employees!: number;

  @Field(() => Int, { description: 'Employees close to their fringe-benefit cap (WARNING).' })
  fringeWarnings!: number;

  @Field(() => Int, { description: 'Employees over their fringe-benefit cap (EXCEEDED).' })
  fringeExceeded!: number;

  @Field(() => [PlanUsageType], { description: 'The year’s plans, oldest first.' })
  plans!: PlanUsageType[];
}
