import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('CardCampaignBalance', { description: 'A card’s credit for one campaign.' })
export class CampaignBalanceType {
  @Field(() => ID, { description: 'The card.' })
  cardId!: string;

  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => String, { description: 'The campaign’s title.' })
  campaignTitle!: string;

  @Field(() => GraphQLSafeInt, { description: 'Cents credited by top-ups.' })
  creditedCents!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      'Cents spent at shops (voided payments excluded) and on catalogue services (captured checkout payments, refunds excluded).',
  })
  spentCents!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'Unspent cents returned to the Comune after the window.',
  })
  returnedCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents that can be spent now.' })
  availableCents!: number;

  @Field(() => String, { description: 'First day of the spending window (YYYY-MM-DD).' })
  spendingFrom!: string;

  @Field(() => String, { description: 'Last day of the spending window (YYYY-MM-DD).' })
  spendingUntil!: string;
}

@ObjectType('CardMovement', { description: 'A movement on a card’s credit.' })
export class CardMovementType {
  @Field(() => ID, { description: 'The book transfer.' })
  id!: string;

  @Field(() => ID, { description: 'The campaign whose credit moved.' })
  campaignId!: string;

  @Field(() => String, {
    description:
      'TOPUP, PAYMENT, PAYMENT_VOID, SWEEP (unspent credit returned after the window, or when the benefit was revoked), CARD_REPLACED, SERVICE_PAYMENT (a catalogue service paid through a checkout: the hold, its capture or its release) or SERVICE_REFUND (part of a service payment given back).',
  })
  code!: string;

  @Field(() => GraphQLSafeInt, {
    description: 'Cents: positive when credit arrives, negative when it leaves.',
  })
  amountCents!: number;

  @Field(() => String, { nullable: true, description: 'What it refers to, e.g. `payment:<id>`.' })
  reference!: string | null;

  @Field(() => Date, { description: 'When.' })
  at!: Date;
}
