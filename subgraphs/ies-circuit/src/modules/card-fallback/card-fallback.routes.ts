import type { MikroORM } from '@mikro-orm/postgresql';
import {
  IES_CARD_PATHS,
  iesCardAuthorisationRequest,
  iesCardHoldRequest,
  iesCardQuoteRequest,
} from '@welfare/kit/contracts';
import { internalRoute, type InternalRoute } from '@welfare/kit/service';
import type { CardFallbackService } from './card-fallback.service.js';

/** The only service that may call the card-fallback operations: public-welfare's POS. */
export const CARD_FALLBACK_CALLERS = ['public-welfare'] as const;

export interface CardFallbackRouteOptions {
  orm: MikroORM;
  cardFallback: CardFallbackService;
}

/**
 * The card-fallback contract's internal routes (`POST /internal/ies/card-fallback/...`,
 * `IES_CARD_PATHS`): service tokens of public-welfare only (the kit answers 401 / 403 to anyone
 * else), bodies validated by the contract's schemas (400 with fields), refusals with the
 * contract's `reason`.
 */
export function cardFallbackRoutes(
  options: CardFallbackRouteOptions,
): Record<string, InternalRoute> {
  const { orm, cardFallback } = options;
  const callers = CARD_FALLBACK_CALLERS;
  return {
    [`POST ${IES_CARD_PATHS.quote}`]: internalRoute({
      callers,
      input: iesCardQuoteRequest,
      run: (input) => cardFallback.quote(orm.em.fork(), input),
    }),
    [`POST ${IES_CARD_PATHS.hold}`]: internalRoute({
      callers,
      input: iesCardHoldRequest,
      run: (input) => cardFallback.hold(orm.em.fork(), input),
    }),
    [`POST ${IES_CARD_PATHS.capture}`]: internalRoute({
      callers,
      input: iesCardAuthorisationRequest,
      run: (input) => cardFallback.capture(orm.em.fork(), input.authorisationId),
    }),
    [`POST ${IES_CARD_PATHS.void}`]: internalRoute({
      callers,
      input: iesCardAuthorisationRequest,
      run: (input) => cardFallback.void(orm.em.fork(), input.authorisationId),
    }),
    [`POST ${IES_CARD_PATHS.authorisation}`]: internalRoute({
      callers,
      input: iesCardAuthorisationRequest,
      run: (input) => cardFallback.authorisation(orm.em.fork(), input.authorisationId),
    }),
  };
}
