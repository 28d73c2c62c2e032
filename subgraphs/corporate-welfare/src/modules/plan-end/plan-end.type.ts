import { Field, Int, ObjectType } from 'type-graphql';
import { PlanType } from '../plan/plan.type.js';

@ObjectType('WelfarePlanClosure', {
  description:
    'What closing a welfare plan moved, by its end rule: unspent credit returned to the employer, or carried over to the next plan.',
})
export class PlanClosureType {
  @Field(() => PlanType, { description: 'The plan, CLOSED.' })
  plan!: PlanType;

  @Field(() => Int, {
    description:
      'Returned to the employer: unspent credit (RETURN_TO_EMPLOYER, or CARRY_OVER without a next plan) and funds never credited, in cents.',
  })
  returnedCents!: number;

  @Field(() => Int, {
    description: 'Unspent credit carried over to the employees’ credit in the next plan, in cents.',
  })
  carriedOverCents!: number;

  @Field(() => PlanType, {
    nullable: true,
    description: 'The plan the unspent credit was carried over to (CARRY_OVER), if any.',
  })
  carriedOverTo?: PlanType | null;

  @Field(() => Boolean, {
    description:
      'True when the rule is CARRY_OVER but the employer had no next ACTIVE plan: the unspent credit went back to the employer.',
  })
  carryOverFellBack!: boolean;
}
