import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FringeBenefitStatusType } from '../fringe/fringe.type.js';
import { PlanEndRuleEnum, PlanPurposeEnum, PlanStatusEnum } from '../plan/plan.type.js';
import { OrganisationRef } from '../shared/references.type.js';
import { CREDIT_MOVEMENT_KINDS } from './my-credit.service.js';

export const CreditMovementKindEnum = Object.fromEntries(
  CREDIT_MOVEMENT_KINDS.map((v) => [v, v]),
) as { [K in (typeof CREDIT_MOVEMENT_KINDS)[number]]: K };

registerEnumType(CreditMovementKindEnum, {
  name: 'WelfareCreditMovementKind',
  description: 'What moved an employee’s welfare credit (the book’s transfer code).',
  valuesConfig: {
    FUNDING: { description: 'The employer put money into the plan (not on an employee’s credit).' },
    CREDIT: { description: 'Credit granted by the plan.' },
    CREDIT_REVERSAL: { description: 'Credit taken back by the employer (a leaver, a correction).' },
    SERVICE_PAYMENT: { description: 'A catalogue service paid with the credit.' },
    SERVICE_REFUND: { description: 'A service payment given back.' },
    REIMBURSEMENT: { description: 'An approved reimbursement of a documented expense.' },
    FRINGE_BENEFIT: { description: 'A fringe benefit granted from the credit.' },
    BONUS_CONVERSION: { description: 'A performance bonus converted into credit.' },
    PLAN_END_RETURN: { description: 'Unspent credit returned to the employer at the plan’s end.' },
    PLAN_END_CARRY_OVER: { description: 'Unspent credit carried over from or to another plan.' },
  },
});

@ObjectType('WelfareCreditMovement', {
  description: 'One movement of an employee’s credit in a plan, with the balance after it.',
})
export class CreditMovementType {
  @Field(() => ID, { description: 'The book transfer’s id.' })
  id!: string;

  @Field(() => Date, { description: 'When it happened.' })
  at!: Date;

  @Field(() => CreditMovementKindEnum, { description: 'What moved the credit.' })
  kind!: string;

  @Field(() => Int, {
    description: 'The amount in cents: positive when credit arrives, negative when it leaves.',
  })
  amountCents!: number;

  @Field(() => Int, { description: 'The credit’s balance after it, in cents.' })
  balanceAfterCents!: number;
}

@ObjectType('WelfareCreditMovementPage', {
  description: 'A page of an employee’s credit movements, newest first.',
})
export class CreditMovementPageType {
  @Field(() => [CreditMovementType], { description: 'The movements of this page.' })
  nodes!: CreditMovementType[];

  @Field(() => Boolean, { description: 'True when another (older) page follows.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;
}

@ObjectType('MyWelfarePlan', {
  description:
    'A welfare plan the logged-in employee is in (found by their codice fiscale at every employer), with their credit in it. Only the employee sees it.',
})
export class MyWelfarePlanType {
  @Field(() => ID, { description: 'The employee’s enrolment at the employer.' })
  employeeId!: string;

  @Field(() => OrganisationRef, { description: 'The employer.' })
  employer!: OrganisationRef;

  @Field(() => ID, { description: 'The plan.' })
  planId!: string;

  @Field(() => String, { description: 'The plan’s name.' })
  name!: string;

  @Field(() => Int, { description: 'The tax year it belongs to.' })
  year!: number;

  @Field(() => String, { description: 'First day the credit can be spent (YYYY-MM-DD, Rome).' })
  validFrom!: string;

  @Field(() => String, { description: 'Last day the credit can be spent (YYYY-MM-DD, Rome).' })
  validUntil!: string;

  @Field(() => PlanStatusEnum, { description: 'ACTIVE or CLOSED.' })
  status!: string;

  @Field(() => String, { description: 'The employee’s category code.' })
  categoryCode!: string;

  @Field(() => String, { nullable: true, description: 'The category’s name in the plan.' })
  categoryName!: string | null;

  @Field(() => [PlanPurposeEnum], { description: 'What the credit may pay for.' })
  purposes!: string[];

  @Field(() => PlanEndRuleEnum, {
    description: 'What happens to credit unspent after `validUntil` (the regulation’s rule).',
  })
  endRule!: string;

  @Field(() => Int, {
    description:
      'Credit granted, in cents (credits, bonus conversions, carry-overs, less reversals).',
  })
  grantedCents!: number;

  @Field(() => Int, { description: 'The balance (granted less spent), in cents.' })
  balanceCents!: number;

  @Field(() => Int, { description: 'Held by checkouts not yet completed, in cents.' })
  pendingCents!: number;

  @Field(() => Int, { description: 'What can be spent now (balance less held), in cents.' })
  availableCents!: number;

  @Field(() => FringeBenefitStatusType, {
    description: 'The employee’s fringe benefits of the plan’s tax year against their cap.',
  })
  fringeBenefit!: FringeBenefitStatusType;
}
