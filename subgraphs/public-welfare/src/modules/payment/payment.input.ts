import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { ShopCategory } from '../shared/categories.js';

@InputType('CardIdentification', {
  description: 'How the cashier identifies the card: exactly one of the two.',
})
export class CardIdentificationInput {
  @Field(() => String, {
    nullable: true,
    description: 'The payload of the card’s QR code, as scanned.',
  })
  qr?: string | null;

  @Field(() => String, { nullable: true, description: 'The holder’s codice fiscale, as typed.' })
  fiscalCode?: string | null;
}

@InputType('ChargeCardInput', {
  description: 'A payment at an accredited shop with a beneficiary card.',
})
export class ChargeCardInput {
  @Field(() => ID, {
    description:
      'The POS’s idempotency key (a UUID, new for each payment): a retry with the same key and request returns the same payment; with a different one, CONFLICT.',
  })
  idempotencyKey!: string;

  @Field(() => ID, { description: 'The shop’s accreditation.' })
  accreditationId!: string;

  @Field(() => CardIdentificationInput, { description: 'The card.' })
  card!: CardIdentificationInput;

  @Field(() => String, { description: 'The card’s PIN (6 digits); 5 wrong PINs lock the card.' })
  pin!: string;

  @Field(() => GraphQLSafeInt, { description: 'The amount in euro cents, 1 to 100,000,000.' })
  amountCents!: number;

  @Field(() => ShopCategory, { description: 'What is being bought.' })
  category!: string;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'The part to pay with the holder’s IES, as the till showed it (`previewCardCharge`) and the holder agreed: needed when the voucher credit does not cover the amount; if the split has changed since, the payment is refused (IES_SPLIT_CHANGED) and nothing is spent.',
  })
  iesCents?: number | null;
}
