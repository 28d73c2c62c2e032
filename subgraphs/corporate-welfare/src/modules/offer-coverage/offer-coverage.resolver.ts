import type { SubgraphContext } from '@welfare/kit';
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OfferRef, WelfarePlanCoverageType } from './offer-coverage.type.js';

/** Corporate-welfare's contribution to third-sector's `Offer`: the caller's covering plans. */
@Resolver(() => OfferRef)
export class OfferCoverageResolver {
  constructor(private readonly services: Services) {}

  @Directive('@requires(fields: "category")')
  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      'Whether one of the logged-in employee’s welfare plans can pay for the offer with its credit (see `myCoveringWelfarePlans`). False for an anonymous caller and for a person without a plan (or without a codice fiscale). Null only when corporate welfare could not answer (the rest of the offer is unaffected).',
  })
  async coveredByMyPlan(@Root() offer: OfferRef, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    const plans = await this.services.offerCoverage.coveringPlans(
      ctx.em,
      ctx,
      ctx.caller,
      offer.category,
    );
    return plans.length > 0;
  }

  @Directive('@requires(fields: "category")')
  @FieldResolver(() => [WelfarePlanCoverageType], {
    nullable: true,
    description:
      'The logged-in employee’s welfare plans whose credit can pay for the offer: plans of their employer that are ACTIVE, pay services in kind, are valid today and cover the offer’s category, in which they hold credit. Ending soonest first. Empty for anyone else: a person only ever sees their own plans. Null only when corporate welfare could not answer.',
  })
  myCoveringWelfarePlans(
    @Root() offer: OfferRef,
    @Ctx() ctx: SubgraphContext,
  ): Promise<WelfarePlanCoverageType[]> {
    return this.services.offerCoverage.coveringPlans(ctx.em, ctx, ctx.caller, offer.category);
  }
}
