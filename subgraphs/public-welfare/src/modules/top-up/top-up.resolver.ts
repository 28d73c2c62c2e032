import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { TrancheInput } from './top-up.input.js';
import { SweepResultType, TopUpResultType } from './top-up.type.js';

const trancheArg = {
  nullable: true,
  description: 'The tranche (default: tranche 1, 100% of the entitlement).',
} as const;

/** Top-ups of cards by hand, and the return of unspent credit after the spending window. */
@Resolver()
export class TopUpResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => TopUpResultType, {
    description:
      'Staff of the Comune: credits an APPROVED application’s entitlement to the holder’s card (a tranche). NOT_FOUND for another Comune; CONFLICT after the spending window or when the fund lacks the budget.',
  })
  topUpApplication(
    @Arg('applicationId', () => ID, { description: 'The approved application.' })
    applicationId: string,
    @Arg('tranche', () => TrancheInput, trancheArg) tranche: TrancheInput | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUps.topUpApplication(
      ctx.em,
      ctx.caller,
      applicationId,
      tranche ? { number: tranche.number, percent: tranche.percent ?? 100 } : undefined,
    );
  }

  @Mutation(() => TopUpResultType, {
    description:
      'Staff of the Comune: credits every APPROVED application of the campaign (a tranche), all or nothing.',
  })
  topUpCampaign(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('tranche', () => TrancheInput, trancheArg) tranche: TrancheInput | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUps.topUpCampaign(
      ctx.em,
      ctx.caller,
      campaignId,
      tranche ? { number: tranche.number, percent: tranche.percent ?? 100 } : undefined,
    );
  }

  @Mutation(() => SweepResultType, {
    description:
      'Staff of the Comune, after the spending window: returns the cards’ unspent credit to the campaign’s fund. Idempotent.',
  })
  sweepCampaignCredit(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUps.sweepExpired(ctx.em, ctx.caller, campaignId);
  }
}
