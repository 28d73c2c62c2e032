import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef } from '../shared/references.type.js';
import type { IseeType } from '../shared/enums.js';
import type { Campaign } from './campaign.entity.js';
import { CampaignInput, SimulationInput } from './campaign.input.js';
import { CampaignType, EligibilityRulesType, SimulationResult } from './campaign.type.js';

@Resolver(() => CampaignType)
export class CampaignResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [CampaignType], {
    description:
      'The Comune’s campaigns, newest first, drafts included. Staff of the Comune and platform admins only: FORBIDDEN otherwise.',
  })
  campaigns(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Campaign[]> {
    return this.services.campaigns.listForComune(ctx.em, ctx.caller, comuneId);
  }

  @Query(() => [CampaignType], {
    description: 'Every published campaign, closing soonest first. Public (anonymous too).',
  })
  publishedCampaigns(@Ctx() ctx: SubgraphContext): Promise<Campaign[]> {
    return this.services.campaigns.listPublished(ctx.em);
  }

  @Query(() => CampaignType, {
    nullable: true,
    description:
      'One campaign: published and closed ones are public; a draft only for the Comune’s staff (null otherwise, as when missing).',
  })
  campaign(
    @Arg('id', () => ID, { description: 'The campaign’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Campaign | null> {
    return this.services.campaigns.get(ctx.em, ctx.caller, id);
  }

  @Query(() => SimulationResult, {
    description:
      'Applies rules, amounts and budget to every household of the Comune’s registry today: how many qualify, the total cost, how many the budget covers in ranking order. Staff only; written to the audit log (SEARCH_INCOME). BAD_USER_INPUT for invalid rules, amounts or budget.',
  })
  campaignSimulation(
    @Arg('input', () => SimulationInput) input: SimulationInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.campaigns.simulate(ctx.em, ctx.caller, input);
  }

  @Mutation(() => CampaignType, {
    description:
      'Creates a DRAFT campaign. BAD_USER_INPUT (nothing written) lists every invalid field: texts, a negative or absurd budget or amount, a window that closes before it opens, spending that ends before it starts, unknown ISEE kinds, duplicate codes. Staff of the Comune only.',
  })
  createCampaign(
    @Arg('input', () => CampaignInput) input: CampaignInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Campaign> {
    return this.services.campaigns.create(ctx.em, ctx.caller, input);
  }

  @Mutation(() => CampaignType, {
    description:
      'Replaces a DRAFT campaign’s fields (same checks as createCampaign); CONFLICT once published.',
  })
  updateCampaign(
    @Arg('id', () => ID, { description: 'The campaign’s id.' }) id: string,
    @Arg('input', () => CampaignInput) input: CampaignInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Campaign> {
    return this.services.campaigns.update(ctx.em, ctx.caller, id, input);
  }

  @Mutation(() => CampaignType, {
    description:
      'Publishes a DRAFT (MANAGER of the Comune): citizens see it and apply within its window. CONFLICT when not a draft.',
  })
  publishCampaign(
    @Arg('id', () => ID, { description: 'The campaign’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Campaign> {
    return this.services.campaigns.publish(ctx.em, ctx.caller, id);
  }

  @Mutation(() => CampaignType, {
    description: 'Closes a PUBLISHED campaign (MANAGER of the Comune): no more applications.',
  })
  closeCampaign(
    @Arg('id', () => ID, { description: 'The campaign’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Campaign> {
    return this.services.campaigns.close(ctx.em, ctx.caller, id);
  }

  @FieldResolver(() => OrganisationRef, { description: 'The Comune running the campaign.' })
  comune(@Root() campaign: Campaign): OrganisationRef {
    return { id: campaign.comuneId };
  }

  @FieldResolver(() => EligibilityRulesType, { description: 'Who may apply.' })
  rules(@Root() campaign: Campaign): EligibilityRulesType {
    const r = campaign.rules;
    return {
      requireResidency: r.requireResidency,
      iseeThresholds: (Object.entries(r.iseeMaxByType) as [IseeType, number][]).map(
        ([type, maxCents]) => ({ type, maxCents }),
      ),
      minSize: r.minSize,
      maxSize: r.maxSize,
      excludePublicSupport: r.excludePublicSupport,
    };
  }

  @FieldResolver(() => Boolean, {
    description: 'True when it is PUBLISHED and now is within its application window.',
  })
  acceptingApplications(@Root() campaign: Campaign): boolean {
    const now = Date.now();
    return (
      campaign.status === 'PUBLISHED' &&
      campaign.applicationsOpenAt.getTime() <= now &&
      now < campaign.applicationsCloseAt.getTime()
    );
  }
}
