import type { MikroORM } from '@mikro-orm/postgresql';
import {
  FUND_PATHS,
  holdRequest,
  legRequest,
  quoteRequest,
  refundRequest,
} from '@welfare/kit/contracts';
import { internalRoute, type InternalRoute } from '@welfare/kit/service';
import type { FundService } from './fund.service.js';

/** The only service that may call the fund operations: the checkout's owner. */
export const FUND_CALLERS = ['payments'] as const;

export interface FundRouteOptions {
  orm: MikroORM;
  funds: FundService;
}

/**
 * The fund contract's internal routes (`POST /internal/fund/...`, `FUND_PATHS`): service tokens of
 * the payments subgraph only (the kit answers 401 / 403 to anyone else), bodies validated by the
 * contract's schemas (400 with fields), refusals with the contract's `reason`.
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
