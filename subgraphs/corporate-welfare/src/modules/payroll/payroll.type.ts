import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('WelfarePayrollRow', {
  description: 'One employee’s line of a month’s payroll export (amounts in cents).',
})
export class PayrollRowType {
  @Field(() => ID, { description: 'The employee.' })
  employeeId!: string;

  @Field(() => String, { description: 'The employee’s codice fiscale.' })
  fiscalCode!: string;

  @Field(() => String, { description: 'Family name.' })
  familyName!: string;

  @Field(() => String, { description: 'Given name.' })
  givenName!: string;

  @Field(() => String, { description: 'The employee’s category code.' })
  categoryCode!: string;

  @Field(() => Int, {
    description:
      'Reimbursements approved in the month (art. 51 c.2 d-bis, f-bis, f-ter: not taxable).',
  })
  reimbursementsCents!: number;

  @Field(() => Int, { description: 'How many claims were approved in the month.' })
  reimbursementsCount!: number;

  @Field(() => Int, { description: 'Fringe benefits granted in the month.' })
  fringeBenefitsCents!: number;

  @Field(() => Int, { description: 'Fringe benefits of the tax year up to the month’s end.' })
  fringeBenefitsYearCents!: number;

  @Field(() => Int, {
    description: 'The fringe-benefit cap that applies to the employee in the year.',
  })
  fringeBenefitCapCents!: number;

  @Field(() => Int, {
    description:
      'Fringe benefits taxable in the month: the whole year’s total in the month the cap is crossed, each month’s amount after.',
  })
  fringeBenefitsTaxableCents!: number;

  @Field(() => Int, { description: 'Fringe benefits of the month within the cap (not taxable).' })
  fringeBenefitsNonTaxableCents!: number;

  @Field(() => Int, { description: 'Reimbursements and fringe benefits within the cap.' })
  nonTaxableCents!: number;

  @Field(() => Int, { description: 'The month’s taxable amount.' })
  taxableCents!: number;

  @Field(() => Boolean, { description: 'The year’s fringe benefits crossed the cap.' })
  capExceeded!: boolean;
}

@ObjectType('WelfarePayrollMonth', {
  description:
    'An employer’s monthly payroll export: per employee, reimbursements paid and fringe benefits, taxable and not. Its HR only; also downloadable as CSV and Excel.',
})
export class PayrollMonthType {
  @Field(() => ID, { description: 'The employer.' })
  employerId!: string;

  @Field(() => String, { description: 'The month (YYYY-MM).' })
  month!: string;

  @Field(() => [PayrollRowType], { description: 'One row per employee, by family name.' })
  rows!: PayrollRowType[];

  @Field(() => String, { description: 'The law that sets the fringe-benefit cap applied.' })
  capSource!: string;
}
