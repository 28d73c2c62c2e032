import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { ShopCategory } from '../shared/categories.js';

@ObjectType('CardPayment', { description: 'A payment with a beneficiary card at a shop.' })
export class PaymentType {
  @Field(() => ID, { description: 'The POS’s idempotency key.' })
  id!: string;

  @Field(() => ID, { description: 'The card.' })
  cardId!: string;

  @Field(() => ID, { description: 'The shop’s accreditation.' })
  accreditationId!: string;

  @Field(() => ID, { description: 'The cashier (a person in identity).' })
  cashierId!: string;

  @Field(() => GraphQLSafeInt, { description: 'The amount, in euro cents.' })
  amountCents!: number;

  @Field(() => ShopCategory, { description: 'What was bought.' })
  category!: string;

  @Field(() => String, { description: 'AUTHORISED, or VOIDED by the shop the same day.' })
  status!: string;

  @Field(() => GraphQLSafeInt, {
    description:
      'Of the amount, the part paid with the holder’s IES (the card’s fallback at a shop that accepts IES), in cents; 0 when the voucher credit paid it all.',
  })
  iesCents!: number;

  @Field(() => String, {
    nullable: true,
    description:
      'The IES part’s state: HELD (being captured), CAPTURED, or EXPIRED (the hold lapsed before its capture); null without an IES part.',
  })
  iesStatus!: string | null;

  @Field(() => Date, { description: 'When it was authorised.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was voided.' })
  voidedAt!: Date | null;
}

@ObjectType('ChargeResult', { description: 'An authorised payment (the receipt).' })
export class ChargeResultType {
  @Field(() => PaymentType, { description: 'The payment.' })
  payment!: PaymentType;

  @Field(() => GraphQLSafeInt, { description: 'The card’s credit left, in cents, all campaigns.' })
  residualCents!: number;
}

@ObjectType('CardChargeSplit', {
  description:
    'How a card payment would be paid, shown to the cashier before confirming: the voucher credit first, then the holder’s IES.',
})
export class CardChargeSplitType {
  @Field(() => GraphQLSafeInt, {
    description: 'The part the card’s voucher credit pays, in cents.',
  })
  voucherCents!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      'The part the holder’s IES would pay, in cents (0 when the voucher credit covers it all).',
  })
  iesCents!: number;

  @Field(() => Boolean, {
    description:
      'The whole amount can be paid: by the voucher credit alone or with the holder’s IES at this shop.',
  })
  payable!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The IES circuit where the holder and the shop are members, when there is one.',
  })
  iesCircuitName!: string | null;

  @Field(() => Boolean, {
    description: 'The IES circuit could not be asked now: only the voucher credit can pay.',
  })
  iesUnavailable!: boolean;
}
