import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { internalRoute, type InternalRoute } from '../service.js';
import {
  FUND_PATHS,
  holdRequest,
  legRequest,
  quoteRequest,
  refundRequest,
  type HoldRequest,
  type QuoteRequest,
  type RefundRequest,
} from './fund.js';

/** The only service that may call the fund operations: the checkout's owner. */
export const FUND_CALLERS = ['payments'] as const;

/** What a fund owner's service does for each operation of the contract (each on a forked EntityManager). */
export interface FundOperations {
  quote(em: EntityManager, input: QuoteRequest): Promise<unknown>;
  hold(em: EntityManager, input: HoldRequest): Promise<unknown>;
  capture(em: EntityManager, legId: string): Promise<unknown>;
  release(em: EntityManager, legId: string): Promise<unknown>;
  refund(em: EntityManager, input: RefundRequest): Promise<unknown>;
  leg(em: EntityManager, legId: string): Promise<unknown>;
}

export interface FundRouteOptions {
  orm: MikroORM;
  funds: FundOperations;
}

/**
 * The fund contract's internal routes (`POST /internal/fund/...`, `FUND_PATHS`), the same for every
 * fund owner (public-welfare, corporate-welfare, ies-circuit): service tokens of the payments
 * subgraph only (the kit answers 401 / 403 to anyone else), bodies validated by the contract's
 * schemas (400 with fields), refusals with the contract's `reason`.
 */
export function fundRoutes(options: FundRouteOptions): Record<string, InternalRoute> {
  const { orm, funds } = options;
  const callers = FUND_CALLERS;
  return {
    [`POST ${FUND_PATHS.quote}`]: internalRoute({
      callers,
      input: quoteRequest,
      run: (input) => funds.quote(orm.em.fork(), input),
    }),
    [`POST ${FUND_PATHS.hold}`]: internalRoute({
      callers,
      input: holdRequest,
      run: (input) => funds.hold(orm.em.fork(), input),
    }),
    [`POST ${FUND_PATHS.capture}`]: internalRoute({
      callers,
      input: legRequest,
      run: (input) => funds.capture(orm.em.fork(), input.legId),
    }),
    [`POST ${FUND_PATHS.release}`]: internalRoute({
      callers,
      input: legRequest,
      run: (input) => funds.release(orm.em.fork(), input.legId),
    }),
    [`POST ${FUND_PATHS.refund}`]: internalRoute({
      callers,
      input: refundRequest,
      run: (input) => funds.refund(orm.em.fork(), input),
    }),
    [`POST ${FUND_PATHS.leg}`]: internalRoute({
      callers,
      input: legRequest,
      run: (input) => funds.leg(orm.em.fork(), input.legId),
    }),
  };
}
