import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('WelfarePlanFunding', {
  description: 'A welfare plan’s money so far, from its pool’s movements on the book (in cents).',
})
export class FundingTotalsType {
  @Field(() => Int, { description: 'What the employer put into the plan, in cents.' })
  fundedCents!: number;

  @Field(() => Int, { description: 'What was credited to its employees, in cents.' })
  creditedCents!: number;

  @Field(() => Int, { description: 'Employees credited.' })
  employeesCredited!: number;

  @Field(() => Int, {
    description:
      'The pool’s balance: funded and not (or no longer) credited to an employee, in cents.',
  })
  poolBalanceCents!: number;
}
