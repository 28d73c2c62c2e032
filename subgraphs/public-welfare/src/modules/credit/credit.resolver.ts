import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { CampaignBalanceType, CardMovementType } from './credit.type.js';

/** A card's credit: its balance per campaign and its movements. */
@Resolver()
export class CreditResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [CampaignBalanceType], {
    description: 'The caller’s cards’ credit, per campaign (citizens logged in with SPID/CIE).',
  })
  myCardBalance(@Ctx() ctx: SubgraphContext) {
    return this.services.credit.myBalances(ctx.em, ctx.caller);
  }

  @Query(() => [CardMovementType], {
    description:
      'A card’s movements, newest first (its holder or the staff of its Comune; empty otherwise).',
  })
  cardMovements(
    @Arg('cardId', () => ID, { description: 'The card.' }) cardId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.credit.movements(ctx.em, ctx.caller, cardId);
  }
}
