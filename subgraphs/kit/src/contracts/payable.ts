import { z } from 'zod';
import { fundOffer } from './fund.js';

/*
 * The payable contract: what the owner of something priced (third-sector's offer bookings now;
 * tutoring and other services as they gain prices) answers to the payments subgraph, service to
 * service (`@welfare/kit/service`), and nobody else. A payable is named by a reference,
 * `<kind>:<id>` (`offer-booking:<uuid>`).
 *
 * - `describe`: what is owed, by whom, to whom, for what (no effect). Refused NOT_FOUND when the
 *   reference names nothing of this person's.
 * - `begin`: the payable is being paid by checkout `checkoutId` until `until`: no other checkout may
 *   begin, and the owner neither cancels nor lets it lapse meanwhile. Idempotent by checkout;
 *   refused (reason NOT_PAYABLE) when it is paid, cancelled, lapsed, or the amount differs, and
 *   (reason PAYMENT_IN_PROGRESS) when another checkout holds it and has not passed its `until`.
 * - `complete`: every leg of the checkout is captured: the payable is PAID. Idempotent.
 * - `abandon`: the checkout failed or was undone: the payable is due again (or lapses, if its
 *   time to pay has passed). Idempotent; no effect once PAID by this checkout.
 * - `refunded`: money of a PAID payable went back (`refundId` idempotent), and whether the payable
 *   is cancelled with it (by the person within the owner's policy, `cancellableUntil`, or by the
 *   payee at any time).
 */

/** The paths of the payable operations, under its owner's base URL. */
export const PAYABLE_PATHS = {
  describe: '/internal/payable/describe',
  begin: '/internal/payable/begin',
  complete: '/internal/payable/complete',
  abandon: '/internal/payable/abandon',
  refunded: '/internal/payable/refunded',
} as const;

const uuid = z.string().uuid();
const localized = z.object({ it: z.string().min(1).max(500), en: z.string().min(1).max(500) });
/** `<kind>:<uuid>`. */
export const payableRef = z.string().regex(/^[a-z][a-z-]{1,40}:[0-9a-f-]{36}$/);

export const describeRequest = z.object({ ref: payableRef, personId: uuid });
export type DescribeRequest = z.infer<typeof describeRequest>;

/** Where the payable is, as its owner sees it. */
export const PAYABLE_STATES = [
  /** Owed, and no checkout is paying it. */
  'DUE',
  /** A checkout is paying it (`begin`). */
  'IN_PROGRESS',
  'PAID',
  /** Nothing can be paid: free, cancelled, declined, or its time to pay passed. */
  'NOT_PAYABLE',
] as const;

export const payableDescription = z.object({
  ref: payableRef,
  state: z.enum(PAYABLE_STATES),
  /** What is owed in total. */
  amountCents: z.number().int().min(0),
  /** What it is ("Nuoto per ragazzi, 12/01/2027, 2 posti"). */
  description: localized,
  /** The person who owes it. */
  personId: uuid,
  /** Who is paid: the provider organisation. */
  payee: z.object({ organisationId: uuid, name: z.string().min(1).max(300) }),
  /** The offer, for the funds' rules. */
  offer: fundOffer,
  /** Until when it can still be paid (ISO 8601), if the owner lets it lapse. */
  payBy: z.string().nullable(),
  /** The checkout paying it, when IN_PROGRESS or PAID. */
  checkoutId: uuid.nullable(),
  /**
   * Until when (ISO 8601) the person may cancel it themselves, a paid one with a full refund: the
   * owner's cancellation policy. Null when they no longer may (the payee may still refund).
   */
  cancellableUntil: z.string().nullable(),
});
export type PayableDescription = z.infer<typeof payableDescription>;

export const beginRequest = z.object({
  ref: payableRef,
  checkoutId: uuid,
  personId: uuid,
  amountCents: z.number().int().min(1),
  /** The checkout's own limit (ISO 8601): after it, another checkout may begin. */
  until: z.string().datetime({ offset: true }),
});
export type BeginRequest = z.infer<typeof beginRequest>;

export const checkoutRequest = z.object({ ref: payableRef, checkoutId: uuid });
export type CheckoutRequest = z.infer<typeof checkoutRequest>;

export const refundedRequest = z.object({
  ref: payableRef,
  checkoutId: uuid,
  refundId: uuid,
  amountCents: z.number().int().min(1),
  /** The payable is cancelled with this refund (its place is freed). */
  cancel: z.boolean(),
});
export type RefundedRequest = z.infer<typeof refundedRequest>;

/** The reasons a payable's owner refuses an operation with (`extensions.reason`). */
export const PAYABLE_REFUSALS = ['NOT_PAYABLE', 'PAYMENT_IN_PROGRESS'] as const;
