import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { OrganisationRef } from '../shared/references.type.js';
import { CHECKOUT_STATUSES, LEG_STATUSES } from './checkout.repository.js';

export const CheckoutStatus = Object.fromEntries(CHECKOUT_STATUSES.map((s) => [s, s])) as {
  [K in (typeof CHECKOUT_STATUSES)[number]]: K;
};
registerEnumType(CheckoutStatus, {
  name: 'CheckoutStatus',
  description: 'Where a checkout is: it ends PAID or FAILED.',
  valuesConfig: {
    OPEN: { description: 'Created; the payable is being reserved for it.' },
    HOLDING: { description: 'The funds’ parts are being held.' },
    AWAITING_CARD: { description: 'Funds held; waiting for the card payment on the card page.' },
    CAPTURING: { description: 'Every part authorised; the money is being taken.' },
    PAID: { description: 'Every part was taken and the payable is paid.' },
    RELEASING: { description: 'Failed; the held parts are being released (nothing is kept).' },
    FAILED: { description: 'Failed and undone: nothing was charged, or all was given back.' },
  },
});

export const CheckoutLegStatus = Object.fromEntries(LEG_STATUSES.map((s) => [s, s])) as {
  [K in (typeof LEG_STATUSES)[number]]: K;
};
registerEnumType(CheckoutLegStatus, {
  name: 'CheckoutLegStatus',
  description: 'Where one part of a checkout is.',
  valuesConfig: {
    PLANNED: { description: 'Not asked for yet.' },
    HELD: { description: 'Held on the fund until the checkout ends or the hold lapses.' },
    AUTHORISED: { description: 'The card payment is authorised, not yet taken.' },
    CAPTURED: { description: 'Taken.' },
    RELEASED: { description: 'Released, cancelled or given back: nothing of it is kept.' },
    FAILED: { description: 'Refused.' },
  },
});

export const CheckoutLegKind = { FUND: 'FUND', CARD: 'CARD' } as const;
registerEnumType(CheckoutLegKind, {
  name: 'CheckoutLegKind',
  description: 'What pays a part of a checkout.',
  valuesConfig: {
    FUND: { description: 'One of the person’s funds (voucher credit, welfare credit, IES).' },
    CARD: { description: 'A payment card, through Stripe.' },
  },
});

@ObjectType({ description: 'One part of a checkout: a fund’s, or the card’s.' })
export class CheckoutLegType {
  @Field(() => ID, { description: 'The part’s id (its idempotency key with the fund or card).' })
  id!: string;

  @Field(() => CheckoutLegKind, { description: 'FUND or CARD.' })
  kind!: 'FUND' | 'CARD';

  @Field(() => String, {
    nullable: true,
    description: 'For a fund: VOUCHER (a Comune’s measure), EMPLOYER (a welfare plan) or IES.',
  })
  fundKind!: string | null;

  @Field(() => String, { description: 'What pays, in Italian (“Buoni spesa 2026”, “Carta”).' })
  labelIt!: string;

  @Field(() => String, { description: 'What pays, in English.' })
  labelEn!: string;

  @Field(() => Int, { description: 'This part of the price, in integer euro cents.' })
  amountCents!: number;

  @Field(() => CheckoutLegStatus, { description: 'Where this part is.' })
  status!: string;

  @Field(() => Int, { description: 'Given back so far, in cents.' })
  refundedCents!: number;
}

@ObjectType('Checkout', {
  description:
    'A payment of one payable (a booking) by the person’s funds and a card: a durable state machine that ends PAID or FAILED, never half way. Seen by the person who pays, the payee’s admins and platform admins.',
})
export class CheckoutType {
  @Field(() => ID, {
    description: 'The checkout’s id, chosen by the client (a retry answers the same).',
  })
  id!: string;

  @Field(() => String, { description: 'What is paid: `offer-booking:<id>`.' })
  payableRef!: string;

  @Field(() => ID, { description: 'The payee organisation (the provider).' })
  payeeOrganisationId!: string;

  @Field(() => Int, { description: 'The price, in integer euro cents: the parts add up to it.' })
  amountCents!: number;

  @Field(() => String, { description: 'What is paid, in Italian.' })
  descriptionIt!: string;

  @Field(() => String, { description: 'What is paid, in English.' })
  descriptionEn!: string;

  @Field(() => CheckoutStatus, { description: 'Where the checkout is.' })
  status!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it failed (a code: TIME_OUT, CARD_DECLINED, INTERRUPTED, FUND_INSUFFICIENT_FUNDS, FUND_HOLD_EXPIRED, PAYABLE_NOT_PAYABLE…).',
  })
  failureReason!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The card page to pay the card part on, while AWAITING_CARD.',
  })
  cardUrl!: string | null;

  @Field(() => Date, { description: 'Until when the funds are held and the card page open.' })
  holdsUntil!: Date;

  @Field(() => Date, { description: 'When it started.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was paid.' })
  paidAt!: Date | null;
}

@ObjectType({ description: 'A fund that can pay a payable, with how much.' })
export class CheckoutFundType {
  @Field(() => String, { description: 'The service that owns the fund (`public-welfare`…).' })
  owner!: string;

  @Field(() => String, { description: 'The fund’s id at its owner (a campaign id…).' })
  fundId!: string;

  @Field(() => String, { description: 'VOUCHER, EMPLOYER or IES.' })
  kind!: string;

  @Field(() => String, { description: 'The fund’s name in Italian.' })
  labelIt!: string;

  @Field(() => String, { description: 'The fund’s name in English.' })
  labelEn!: string;

  @Field(() => Int, { description: 'The person’s balance in it, in cents.' })
  balanceCents!: number;

  @Field(() => Int, { description: 'What of it can pay this payable, in cents.' })
  spendableCents!: number;

  @Field(() => String, { nullable: true, description: 'Last day it can be spent (YYYY-MM-DD).' })
  endsOn!: string | null;
}

@ObjectType({ description: 'One part of a proposed split.' })
export class ProposedPartType {
  @Field(() => CheckoutLegKind, { description: 'FUND or CARD.' })
  kind!: 'FUND' | 'CARD';

  @Field(() => String, { nullable: true, description: 'The fund’s owner, for a FUND part.' })
  owner!: string | null;

  @Field(() => String, { nullable: true, description: 'The fund’s id, for a FUND part.' })
  fundId!: string | null;

  @Field(() => Int, { description: 'The part, in cents.' })
  amountCents!: number;
}

@ObjectType({ description: 'What a person can pay a payable with, and the split proposed.' })
export class CheckoutOptionsType {
  @Field(() => String, { description: 'What is paid.' })
  payableRef!: string;

  @Field(() => String, {
    description: 'DUE (can be paid), IN_PROGRESS, PAID or NOT_PAYABLE.',
  })
  state!: string;

  @Field(() => Int, { description: 'The price, in cents.' })
  amountCents!: number;

  @Field(() => String, { description: 'What is paid, in Italian.' })
  descriptionIt!: string;

  @Field(() => String, { description: 'What is paid, in English.' })
  descriptionEn!: string;

  @Field(() => OrganisationRef, {
    description: 'Who is paid: the provider (resolved by identity).',
  })
  payee!: OrganisationRef;

  @Field(() => [CheckoutFundType], { description: 'The funds that can pay, in the default order.' })
  funds!: CheckoutFundType[];

  @Field(() => [String], {
    description: 'Fund owners that could not be asked now: their funds may be missing.',
  })
  unavailableOwners!: string[];

  @Field(() => Boolean, { description: 'The payee takes card payments.' })
  cardAvailable!: boolean;

  @Field(() => Int, { description: 'The smallest card part, in cents (0.50 € for Stripe in EUR).' })
  cardMinimumCents!: number;

  @Field(() => [ProposedPartType], {
    description:
      'The default split: restricted, earliest-ending funds first, the card for the rest.',
  })
  proposed!: ProposedPartType[];
}
