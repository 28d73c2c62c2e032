import type { SubgraphContext } from '@welfare/kit';
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Campaign } from '../campaign/campaign.entity.js';
import { CampaignType } from '../campaign/campaign.type.js';
import { OfferRef } from './offer-coverage.type.js';

/** Public-welfare's contribution to third-sector's `Offer`. */
@Resolver(() => OfferRef)
export class OfferCoverageResolver {
  constructor(private readonly services: Services) {}

  @Directive('@requires(fields: "comuneId providerId category")')
  @FieldResolver(() => [CampaignType], {
    description:
      'The campaigns (measures) of the offer’s Comune whose credit can pay for it: published (or closed to applications with credit still spendable), spending window not ended, and the offer’s category among their `serviceCategories`. Ending soonest first. Public.',
  })
  coveredByCampaigns(@Root() offer: OfferRef, @Ctx() ctx: SubgraphContext): Promise<Campaign[]> {
    return this.services.coverage.coveringCampaigns(ctx.em, ctx, offer);
  }
}
