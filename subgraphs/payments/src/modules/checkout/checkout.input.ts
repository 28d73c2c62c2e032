import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'How much of one fund to spend.' })
export class CheckoutPartInput {
  @Field(() => String, { description: 'The fund’s owner (from `checkoutOptions`).' })
  owner!: string;

  @Field(() => String, { description: 'The fund’s id (from `checkoutOptions`).' })
  fundId!: string;

  @Field(() => Int, { description: 'How much, in integer euro cents (0 or more).' })
  amountCents!: number;
}

@InputType({ description: 'Starts paying a payable.' })
export class StartCheckoutInput {
  @Field(() => ID, {
    description:
      'A new UUID chosen by the client: a retry with the same id answers the same checkout.',
  })
  checkoutId!: string;

  @Field(() => String, { description: 'What to pay: `offer-booking:<id>`.' })
  payableRef!: string;

  @Field(() => [CheckoutPartInput], {
    nullable: true,
    description: 'The person’s split (the card pays the rest); the default split when absent.',
  })
  parts?: CheckoutPartInput[] | null;
}

@InputType({ description: 'Gives money of a paid checkout back.' })
export class RefundCheckoutInput {
  @Field(() => ID, { description: 'The checkout.' })
  checkoutId!: string;

  @Field(() => ID, {
    description: 'A new UUID chosen by the client: a retry with the same id refunds once.',
  })
  refundId!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'How much, in cents (all that remains when absent). Split over the parts in proportion.',
  })
  amountCents?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it is given back, kept with the refund (1 to 500 characters when given).',
  })
  reason?: string | null;

  @Field(() => Boolean, { description: 'Cancel the booking with the refund (frees its place).' })
  cancel!: boolean;
}
