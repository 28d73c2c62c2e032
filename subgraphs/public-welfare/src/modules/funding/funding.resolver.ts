import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Campaign } from '../campaign/campaign.entity.js';
import { CampaignType } from '../campaign/campaign.type.js';
import type { FundingAllocation as Allocation, FundingSource } from './funding.js';
import { FundingAllocation, FundingSourceInput, FundingSourceType } from './funding.type.js';

/** A campaign's funding sources. */
@Resolver(() => CampaignType)
export class FundingResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => CampaignType, {
    description:
      'Replaces the campaign’s funding sources (MANAGER of its Comune, in any status), and how its reports split the money among them. An empty list removes them; otherwise they must add up exactly to the campaign’s budget. BAD_USER_INPUT (nothing written) on `sources.<i>.kind`, `sources.<i>.name`, `sources.<i>.amountCents` or `sources` (more than 20, or a sum different from the budget); NOT_FOUND for staff of another Comune; FORBIDDEN for an OPERATOR.',
  })
  setCampaignFundingSources(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('sources', () => [FundingSourceInput], {
      description:
        'Every source, in the order to show them; with PRIORITY, the order in which they are spent (first = spent first).',
    })
    sources: FundingSourceInput[],
    @Arg('allocation', () => FundingAllocation, {
      nullable: true,
      description:
        'How the reports split the money among the sources (PRO_RATA or PRIORITY); omitted: the campaign’s current mode stays.',
    })
    allocation: Allocation | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Campaign> {
    return this.services.funding.set(ctx.em, ctx.caller, campaignId, sources, allocation);
  }

  @FieldResolver(() => FundingAllocation, {
    description:
      'How the reports split the campaign’s money among its funding sources: PRO_RATA (default) or PRIORITY (in the sources’ order). Visible with the campaign.',
  })
  fundingAllocation(@Root() campaign: Campaign, @Ctx() ctx: SubgraphContext): Promise<Allocation> {
    return this.services.funding.allocationOf(ctx.em, campaign);
  }

  @FieldResolver(() => [FundingSourceType], {
    description:
      'Who funds the budget (State, Region, Comune, EU, donations…), in the Comune’s order; empty when not declared. Visible with the campaign.',
  })
  fundingSources(
    @Root() campaign: Campaign,
    @Ctx() ctx: SubgraphContext,
  ): Promise<FundingSource[]> {
    return this.services.funding.sourcesOf(ctx.em, campaign);
  }
}
