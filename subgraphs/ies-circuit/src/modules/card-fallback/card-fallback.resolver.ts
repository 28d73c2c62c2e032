import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { CardFallbackDebt } from './card-fallback.repository.js';
import { CardFallbackDebtType } from './card-fallback.type.js';

/** The card's fallback as the circuit's staff read it: the debts of lapsed holds. */
@Resolver()
export class CardFallbackResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [CardFallbackDebtType], {
    description:
      'The card payments’ IES parts whose hold lapsed before the capture and that the holder’s wallet could not cover again, the OPEN ones first (200). The circuit’s staff only: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  iesCardFallbackDebts(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CardFallbackDebt[]> {
    return this.services.cardFallback.debts(ctx.em, ctx.caller, circuitId);
  }
}
