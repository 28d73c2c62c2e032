import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('PaymentAccount', {
  description:
    'A provider organisation’s Stripe Connect account: card payments for its offers are paid into it. Seen by the provider’s ADMINs only.',
})
export class PaymentAccountType {
  @Field(() => ID, { description: 'The provider organisation (identity Organisation id).' })
  organisationId!: string;

  @Field(() => String, { description: 'Stripe’s account id (`acct_…`).' })
  stripeAccountId!: string;

  @Field(() => Boolean, {
    description:
      'Stripe accepts card payments on the account (true once the onboarding is complete and verified).',
  })
  chargesEnabled!: boolean;

  @Field(() => Boolean, { description: 'The provider has submitted its onboarding details.' })
  detailsSubmitted!: boolean;

  @Field(() => Date, { description: 'When the onboarding was first started.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When Stripe’s state of the account was last recorded.' })
  updatedAt!: Date;
}

@ObjectType('PaymentOnboarding', {
  description: 'An onboarding started or resumed: the page of Stripe where the admin goes next.',
})
export class PaymentOnboardingType {
  @Field(() => String, {
    description:
      'Stripe’s onboarding page for the account: a one-time link that expires within minutes (start again for a new one).',
  })
  url!: string;

  @Field(() => PaymentAccountType, { description: 'The provider’s account.' })
  account!: PaymentAccountType;
}
