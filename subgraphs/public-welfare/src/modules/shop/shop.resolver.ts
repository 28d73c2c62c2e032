import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { AccreditationStatus } from './shop.enums.js';
import { ShopAccreditationInput } from './shop.input.js';
import { PublicShopType, ShopAccreditationType } from './shop.type.js';

/** Shops joining campaigns: their accreditations and the Comune's decisions. */
@Resolver()
export class ShopResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => ShopAccreditationType, {
    description:
      'The OWNER of a MERCHANT organisation asks to join a published campaign (PENDING until the Comune decides). CONFLICT when it already asked.',
  })
  requestShopAccreditation(
    @Arg('input', () => ShopAccreditationInput, { description: 'The shop’s data.' })
    input: ShopAccreditationInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.shops.requestAccreditation(ctx.em, ctx.caller, input);
  }

  @Mutation(() => ShopAccreditationType, {
    description:
      'Staff of the campaign’s Comune accredit or suspend a shop (written to the audit log). NOT_FOUND for anyone else.',
  })
  decideShopAccreditation(
    @Arg('id', () => ID, { description: 'The accreditation.' }) id: string,
    @Arg('status', () => AccreditationStatus, { description: 'ACCREDITED or SUSPENDED.' })
    status: 'ACCREDITED' | 'SUSPENDED',
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.shops.decide(ctx.em, ctx.caller, id, status);
  }

  @Query(() => [ShopAccreditationType], {
    description: 'A merchant’s accreditations (its OWNERs and CASHIERs; empty for anyone else).',
  })
  merchantAccreditations(
    @Arg('merchantId', () => ID, { description: 'The MERCHANT organisation.' }) merchantId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.shops.forMerchant(ctx.em, ctx.caller, merchantId);
  }

  @Query(() => [ShopAccreditationType], {
    description: 'The shops of a campaign (staff of its Comune; empty for anyone else).',
  })
  campaignShops(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.shops.forCampaign(ctx.em, ctx.caller, campaignId);
  }

  @Query(() => [PublicShopType], {
    description:
      'Public (no login): the shops where a measure’s card can be spent, ACCREDITED for one published or closed campaign, or for any of a Comune’s (one entry per shop). Suspended shops are left out. BAD_USER_INPUT when neither is given.',
  })
  publicShops(
    @Arg('campaignId', () => ID, { nullable: true, description: 'The measure (campaign).' })
    campaignId: string | null,
    @Arg('comuneId', () => ID, { nullable: true, description: 'The Comune.' })
    comuneId: string | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.shops.publicList(ctx.em, { campaignId, comuneId });
  }
}
