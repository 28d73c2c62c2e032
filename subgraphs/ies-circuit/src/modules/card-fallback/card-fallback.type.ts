import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export const CardFallbackDebtStatusEnum = { OPEN: 'OPEN', SETTLED: 'SETTLED' } as const;

registerEnumType(CardFallbackDebtStatusEnum, {
  name: 'IesCardFallbackDebtStatus',
  description: 'Where a debt of the card’s fallback stands.',
  valuesConfig: {
    OPEN: { description: 'Owed: the holder’s wallet could not cover the amount again.' },
    SETTLED: { description: 'Taken again from the holder’s wallet by a later capture.' },
  },
});

@ObjectType('IesCardFallbackDebt', {
  description:
    'A card payment’s IES part whose hold lapsed before its capture (the shop was told "paid") and that the holder’s wallet could not cover again: owed by the holder. Circuit staff only.',
})
export class CardFallbackDebtType {
  @Field(() => ID, { description: 'The POS’s authorisation.' })
  authorisationId!: string;

  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field(() => ID, { description: 'The holder (the citizen member who paid by card).' })
  holderMemberId!: string;

  @Field({ description: 'The holder’s name.' })
  holderName!: string;

  @Field(() => ID, { description: 'The shop (the member that was to receive the IES).' })
  shopMemberId!: string;

  @Field({ description: 'The shop’s name.' })
  shopName!: string;

  @Field(() => Int, { description: 'What the shop was to receive, in cents of IES.' })
  amountCents!: number;

  @Field(() => Int, { description: 'The circuit’s fee on it, in cents of IES (0 when exempt).' })
  feeCents!: number;

  @Field(() => CardFallbackDebtStatusEnum, { description: 'Where it stands.' })
  status!: string;

  @Field({ description: 'When it was recorded.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was settled; null while OPEN.' })
  settledAt?: Date | null;
}
