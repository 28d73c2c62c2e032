import type { MikroORM } from '@mikro-orm/postgresql';
import {
  PAYABLE_PATHS,
  beginRequest,
  checkoutRequest,
  describeRequest,
  refundedRequest,
} from '@welfare/kit/contracts';
import { internalRoute, type InternalRoute } from '@welfare/kit/service';
import { PAYABLE_CALLERS, type OfferBookingPayableService } from './offer-booking.payable.js';

/**
 * The payable contract's internal routes (`POST /internal/payable/...`), answered to the payments
 * service only (401 for a token that does not verify, 403 for any other service): offer bookings
 * as payables, `offer-booking:<bookingId>`.
 */
export function payableRoutes(
  orm: MikroORM,
  payables: OfferBookingPayableService,
): Record<string, InternalRoute> {
  const em = () => orm.em.fork();
  const callers = PAYABLE_CALLERS;
  return {
    [`POST ${PAYABLE_PATHS.describe}`]: internalRoute({
      callers,
      input: describeRequest,
      run: (input) => payables.describe(em(), input),
    }),
    [`POST ${PAYABLE_PATHS.begin}`]: internalRoute({
      callers,
      input: beginRequest,
      run: (input) => payables.begin(em(), input),
    }),
    [`POST ${PAYABLE_PATHS.complete}`]: internalRoute({
      callers,
      input: checkoutRequest,
      run: (input) => payables.complete(em(), input),
    }),
    [`POST ${PAYABLE_PATHS.abandon}`]: internalRoute({
      callers,
      input: checkoutRequest,
      run: (input) => payables.abandon(em(), input),
    }),
    [`POST ${PAYABLE_PATHS.refunded}`]: internalRoute({
      callers,
      input: refundedRequest,
      run: (input) => payables.refunded(em(), input),
    }),
  };
}
