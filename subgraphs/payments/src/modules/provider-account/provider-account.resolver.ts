import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { ProviderAccount } from './provider-account.entity.js';
import type { PaymentOnboarding } from './provider-account.service.js';
import { PaymentAccountType, PaymentOnboardingType } from './provider-account.type.js';

@Resolver(() => PaymentAccountType)
export class ProviderAccountResolver {
  constructor(private readonly services: Services) {}

  @Query(() => PaymentAccountType, {
    nullable: true,
    description:
      'The provider’s Stripe account, null before any onboarding. ADMINs of that provider (a COOPERATIVE or an ASSOCIATION) only: UNAUTHENTICATED, BAD_USER_INPUT for a malformed id, FORBIDDEN otherwise.',
  })
  paymentAccount(
    @Arg('organisationId', () => ID, {
      description: 'The provider organisation (identity Organisation id).',
    })
    organisationId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProviderAccount | null> {
    return this.services.providerAccounts.account(ctx.em, ctx.caller, organisationId);
  }

  @Mutation(() => PaymentOnboardingType, {
    description:
      'Starts or resumes the provider’s Stripe Connect onboarding: creates its account the first time (once, whatever the retries), and answers a fresh link to Stripe’s pages. ADMINs of that provider only (FORBIDDEN otherwise; nothing is created). SERVICE_UNAVAILABLE when Stripe does not answer (try again) or card payments are not configured.',
  })
  startPaymentOnboarding(
    @Arg('organisationId', () => ID, {
      description: 'The provider organisation (identity Organisation id).',
    })
    organisationId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PaymentOnboarding> {
    return this.services.providerAccounts.startOnboarding(ctx.em, ctx.caller, organisationId);
  }
}
