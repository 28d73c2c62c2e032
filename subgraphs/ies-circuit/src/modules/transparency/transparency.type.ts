import { Field, Int, ObjectType } from 'type-graphql';
import { CircuitType } from '../circuit/circuit.type.js';
import { FeeUseType } from '../reserve/reserve.type.js';

@ObjectType('IesMembersOfKind', { description: 'The ACTIVE members of a circuit of one kind.' })
export class MembersOfKindType {
  @Field({
    description:
      'The kind of member: CITIZEN, BUSINESS, ASSOCIATION, COOPERATIVE or COMUNE (a code, labelled by the portal).',
  })
  kind!: string;

  @Field(() => Int, { description: 'How many.' })
  count!: number;
}

@ObjectType('IesTransparency', {
  description:
    'An IES circuit’s public figures, read from its book: the euro reserve and the IES it backs (always equal: the database refuses anything else), the fees and their uses, the members. Public.',
})
export class TransparencyType {
  @Field(() => CircuitType, { description: 'The circuit.' })
  circuit!: CircuitType;

  @Field(() => Int, { description: 'Euro held in the reserve, in cents.' })
  reserveCents!: number;

  @Field(() => Int, {
    description: 'IES issued against euro received (purchases, rewards funded), in cents.',
  })
  issuedCents!: number;

  @Field(() => Int, {
    description:
      'IES destroyed against euro paid out (conversions, fees spent on costs), in cents.',
  })
  redeemedCents!: number;

  @Field(() => Int, {
    description: 'IES in circulation (issued less destroyed): equals the reserve.',
  })
  circulationCents!: number;

  @Field(() => Int, {
    description: 'Fees collected (movements, conversions, demurrage), in cents.',
  })
  feesCollectedCents!: number;

  @Field(() => Int, { description: 'Fees put to a use, in cents.' })
  feesUsedCents!: number;

  @Field(() => Int, { description: 'Fees collected and not used yet, in cents.' })
  feesBalanceCents!: number;

  @Field(() => [FeeUseType], { description: 'The fees’ uses, newest first.' })
  feeUses!: FeeUseType[];

  @Field(() => [MembersOfKindType], { description: 'The ACTIVE members by kind.' })
  members!: MembersOfKindType[];

  @Field(() => Date, { description: 'When these figures were read.' })
  updatedAt!: Date;
}

@ObjectType('IesImpact', {
  description:
    'An IES circuit’s impact: local spending at its member organisations, members, circulation, participation (rewards earned). Public.',
})
export class ImpactType {
  @Field(() => CircuitType, { description: 'The circuit.' })
  circuit!: CircuitType;

  @Field(() => Int, { description: 'IES paid to member organisations, in cents.' })
  localSpendingCents!: number;

  @Field(() => Int, { description: 'Payments to member organisations.' })
  localPayments!: number;

  @Field(() => Int, { description: 'Member organisations paid at least once.' })
  organisationsPaid!: number;

  @Field(() => [MembersOfKindType], { description: 'The ACTIVE members by kind.' })
  members!: MembersOfKindType[];

  @Field(() => Int, { description: 'IES in circulation, in cents.' })
  circulationCents!: number;

  @Field(() => Int, { description: 'IES earned by taking part (rewards), in cents.' })
  rewardsEarnedCents!: number;

  @Field(() => Int, { description: 'Rewards earned.' })
  rewardsCount!: number;

  @Field(() => Int, { description: 'Members who earned at least one reward.' })
  membersRewarded!: number;

  @Field(() => Date, { description: 'When these figures were read.' })
  updatedAt!: Date;
}
