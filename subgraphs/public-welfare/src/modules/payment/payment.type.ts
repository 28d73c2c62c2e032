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
