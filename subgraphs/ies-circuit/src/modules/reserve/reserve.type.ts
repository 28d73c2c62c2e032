import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FEE_USE_KINDS, RECEIPT_KINDS } from './reserve.entity.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ReceiptKindEnum = enumOf(RECEIPT_KINDS);
export const FeeUseKindEnum = enumOf(FEE_USE_KINDS);

registerEnumType(ReceiptKindEnum, {
  name: 'IesReceiptKind',
  description: 'What euro received into an IES circuit’s reserve pays for.',
  valuesConfig: {
    PURCHASE: { description: 'A member bought IES: issued into its wallet.' },
    REWARD_FUNDING: {
      description:
        'The Comune, an employer or a sponsor funded rewards: issued into the rewards account.',
    },
  },
});

registerEnumType(FeeUseKindEnum, {
  name: 'IesFeeUseKind',
  description: 'Where fees collected by an IES circuit go.',
  valuesConfig: {
    REWARDS: { description: 'To the rewards account: they fund rewards for taking part.' },
    PROJECT: { description: 'To a third-sector project’s account.' },
    COSTS: { description: 'Converted to euro (leaving the reserve) to pay the circuit’s costs.' },
  },
});

@ObjectType('IesReserveReceipt', {
  description:
    'Euro received into an IES circuit’s reserve, recorded by its staff, and the IES issued against it. Circuit staff only.',
})
export class ReserveReceiptType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field(() => ReceiptKindEnum, { description: 'What the euro pay for.' })
  kind!: string;

  @Field(() => ID, { nullable: true, description: 'The member who bought IES (a purchase).' })
  memberId?: string | null;

  @Field({ description: 'Who paid the euro, as the bank statement names them.' })
  funderName!: string;

  @Field({ description: 'The bank transfer’s reference (CRO/TRN).' })
  bankReference!: string;

  @Field(() => Int, { description: 'Euro received = IES issued, in cents.' })
  amountCents!: number;

  @Field(() => Date, { description: 'When it was recorded.' })
  createdAt!: Date;
}

@ObjectType('IesFeeUse', {
  description: 'A use of the fees an IES circuit collected, decided by its manager. Public.',
})
export class FeeUseType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => FeeUseKindEnum, { description: 'Where the fees went.' })
  kind!: string;

  @Field(() => ID, { nullable: true, description: 'The project credited (a PROJECT use).' })
  projectId?: string | null;

  @Field(() => Int, { description: 'The fees used, in cents.' })
  amountCents!: number;

  @Field({ description: 'What they paid for, in words.' })
  description!: string;

  @Field(() => Date, { description: 'When it was decided.' })
  createdAt!: Date;
}

@InputType('IesReserveReceiptInput', {
  description: 'Euro received into a circuit’s reserve (from the bank statement).',
})
export class ReserveReceiptInput {
  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field(() => ReceiptKindEnum, { description: 'What the euro pay for.' })
  kind!: 'PURCHASE' | 'REWARD_FUNDING';

  @Field(() => ID, {
    nullable: true,
    description: 'The member who bought IES: required for a purchase, none for a rewards funding.',
  })
  memberId?: string | null;

  @Field({ description: 'Who paid (2 to 200 characters).' })
  funderName!: string;

  @Field({ description: 'The bank transfer’s reference (3 to 140 characters).' })
  bankReference!: string;

  @Field(() => Int, { description: 'The euro received, in cents (1 to 100,000,000).' })
  amountCents!: number;

  @Field({
    description:
      'The client’s idempotency key (8 to 100 letters, digits, -, _, :): the same key records once.',
  })
  clientKey!: string;
}

@InputType('IesFeeUseInput', { description: 'A use of the fees collected.' })
export class FeeUseInput {
  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field(() => FeeUseKindEnum, { description: 'Where the fees go.' })
  kind!: 'REWARDS' | 'PROJECT' | 'COSTS';

  @Field(() => ID, { nullable: true, description: 'The project (a PROJECT use only).' })
  projectId?: string | null;

  @Field(() => Int, { description: 'The fees used, in cents (at most those available).' })
  amountCents!: number;

  @Field({ description: 'What they pay for (3 to 500 characters, shown publicly).' })
  description!: string;

  @Field({ description: 'The client’s idempotency key: the same key records once.' })
  clientKey!: string;
}
