import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AccreditationStatus, ShopCategory } from '../shop/shop.enums.js';

@InputType('TrancheInput', {
  description:
    'One tranche of a top-up. The same tranche number again is a replay and credits nothing more; the total never exceeds the entitlement.',
})
export class TrancheInput {
  @Field(() => Int, { description: 'Tranche number, 1 to 20.' })
  number!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'Percent of the entitlement this tranche credits, 1 to 100 (default 100), capped at what is still due.',
  })
  percent?: number | null;
}

@ObjectType('TopUpLine', { description: 'What a top-up did for one approved application.' })
export class TopUpLineType {
  @Field(() => ID, { description: 'The approved application.' })
  applicationId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The card credited; null when the applicant has no live card.',
  })
  cardId!: string | null;

  @Field(() => GraphQLSafeInt, { description: 'Cents credited by this call (0 for a replay).' })
  creditedCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents credited for the application so far.' })
  totalCreditedCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'The entitlement (the approved amount), in cents.' })
  entitlementCents!: number;
}

@ObjectType('TopUpResult', { description: 'The outcome of a top-up.' })
export class TopUpResultType {
  @Field(() => [TopUpLineType], { description: 'One line per approved application considered.' })
  lines!: TopUpLineType[];

  @Field(() => GraphQLSafeInt, { description: 'Cents credited by this call, in total.' })
  creditedCents!: number;

  @Field(() => Int, {
    description: 'Approved applications without a live card (nothing credited).',
  })
  withoutCard!: number;
}

@ObjectType('SweepResult', {
  description: 'The unspent credit a sweep returned to the campaign’s fund.',
})
export class SweepResultType {
  @Field(() => Int, { description: 'Card accounts emptied.' })
  accounts!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cents returned to the fund.' })
  returnedCents!: number;
}

@ObjectType('PointOfSale', { description: 'A point of sale of a shop.' })
export class PointOfSaleType {
  @Field(() => String, { description: 'Its name (e.g. the street or the branch).' })
  name!: string;

  @Field(() => String, { description: 'Its address.' })
  address!: string;
}

@InputType('PointOfSaleInput', { description: 'A point of sale of a shop.' })
export class PointOfSaleInput {
  @Field(() => String, { description: 'Its name, up to 200 characters.' })
  name!: string;

  @Field(() => String, { description: 'Its address, up to 300 characters.' })
  address!: string;
}

@InputType('ShopAccreditationInput', {
  description: 'A shop (a MERCHANT organisation) asking to join a published campaign.',
})
export class ShopAccreditationInput {
  @Field(() => ID, { description: 'The MERCHANT organisation; the caller must be its OWNER.' })
  merchantId!: string;

  @Field(() => ID, { description: 'The published campaign.' })
  campaignId!: string;

  @Field(() => String, { description: 'Partita IVA (11 digits, with its check digit).' })
  partitaIva!: string;

  @Field(() => String, { description: 'IBAN of an account in the SEPA area, for reimbursements.' })
  iban!: string;

  @Field(() => String, { description: 'Business name (ragione sociale), up to 200 characters.' })
  businessName!: string;

  @Field(() => [ShopCategory], { description: 'What the shop sells.' })
  categories!: string[];

  @Field(() => [PointOfSaleInput], { description: '1 to 50 points of sale.' })
  pointsOfSale!: PointOfSaleInput[];
}

@ObjectType('ShopAccreditation', {
  description:
    'A shop’s accreditation for one campaign. Seen by the merchant’s OWNERs and CASHIERs and by the staff of the campaign’s Comune.',
})
export class ShopAccreditationType {
  @Field(() => ID, { description: 'Stable identifier (UUID); the POS charges cards with it.' })
  id!: string;

  @Field(() => ID, { description: 'The MERCHANT organisation (identity).' })
  merchantId!: string;

  @Field(() => ID, { description: 'The Comune of the campaign.' })
  comuneId!: string;

  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => String, { description: 'Partita IVA.' })
  partitaIva!: string;

  @Field(() => String, { description: 'IBAN (electronic format).' })
  iban!: string;

  @Field(() => String, { description: 'Business name.' })
  businessName!: string;

  @Field(() => [ShopCategory], { description: 'What the shop sells.' })
  categories!: string[];

  @Field(() => [PointOfSaleType], { description: 'Its points of sale.' })
  pointsOfSale!: PointOfSaleType[];

  @Field(() => AccreditationStatus, { description: 'Where the accreditation is.' })
  status!: string;

  @Field(() => Date, { nullable: true, description: 'When the Comune last decided.' })
  decidedAt!: Date | null;

  @Field(() => Date, { description: 'When the shop asked.' })
  createdAt!: Date;
}

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
}

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

  @Field(() => GraphQLSafeInt, { description: 'Cents spent at shops (voided payments excluded).' })
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
      'TOPUP, PAYMENT, PAYMENT_VOID or SWEEP (unspent credit returned after the window).',
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
