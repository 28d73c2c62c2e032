import { z } from 'zod';
import { OFFER_CATEGORIES } from '../vocabulary.js';

/*
 * The fund contract (ARCHITECTURE.md, "Money"): what every owner of a fund (public-welfare's
 * campaign credit; corporate-welfare's plan credit and the IES circuit next) answers to the payments
 * subgraph, service to service (`@welfare/kit/service`), and nobody else.
 *
 * - `quote`: what this person can spend on this offer from this owner's funds, each with the rule
 *   that lets it (category covered, provider accredited, spending window). No effect.
 * - `hold`: reserve `amountCents` of one fund for checkout leg `legId` until `expiresAt`: a pending
 *   (two-phase) transfer of the owner's book, idempotent by `legId` (the same leg again answers the
 *   same hold; the same id with other terms is a CONFLICT). A hold not captured by `expiresAt`
 *   lapses on its own: the money is the person's again.
 * - `capture`: post the leg's hold (the money goes to the provider's account in the owner's book).
 *   Idempotent; refused (reason HOLD_EXPIRED / HOLD_NOT_PENDING) if the hold lapsed or was released.
 * - `release`: void the hold. Idempotent; releasing an unknown leg answers `UNKNOWN` (nothing held).
 * - `refund`: give back part or all of a captured leg, idempotent by `refundId`; the sum of a leg's
 *   refunds never exceeds what was captured.
 * - `leg`: the leg's state as the owner's book has it (for the payments recovery job).
 *
 * Amounts are integer cents. Every operation is answered by the `FundLeg` (or the quote).
 */

/** The paths of the fund operations, under a fund owner's base URL. */
export const FUND_PATHS = {
  quote: '/internal/fund/quote',
  hold: '/internal/fund/hold',
  capture: '/internal/fund/capture',
  release: '/internal/fund/release',
  refund: '/internal/fund/refund',
  leg: '/internal/fund/leg',
} as const;

const uuid = z.string().uuid();
const cents = z.number().int().min(1).max(1_000_000_000_00);
const localized = z.object({ it: z.string().min(1).max(500), en: z.string().min(1).max(500) });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Who pays: the person as the platform knows them (fund owners key their records on either). */
export const fundPerson = z.object({
  personId: uuid,
  /** The codice fiscale, when the person logged in with SPID/CIE (public welfare keys on it). */
  fiscalCode: z
    .string()
    .regex(/^[A-Z0-9]{16}$/)
    .optional(),
});
export type FundPerson = z.infer<typeof fundPerson>;

/** What is bought, as the catalogue (third-sector) describes it. */
export const fundOffer = z.object({
  /** What is paid: `offer-booking:<id>` and the like (the payable's reference). */
  payableRef: z.string().min(1).max(200),
  offerId: uuid,
  /** The Comune whose catalogue lists the offer. */
  comuneId: uuid,
  /** The provider (a third-sector organisation) that delivers it and is paid. */
  providerId: uuid,
  category: z.enum(OFFER_CATEGORIES),
  /** The provider is accredited with the Comune for this category today. */
  providerAccredited: z.boolean(),
});
export type FundOffer = z.infer<typeof fundOffer>;

export const quoteRequest = z.object({
  person: fundPerson,
  offer: fundOffer,
  /** The price to pay. */
  amountCents: cents,
});
export type QuoteRequest = z.infer<typeof quoteRequest>;

/** Why a fund may pay for this offer: each condition of its rule, as checked. */
export const fundRule = z.object({
  /** The offer's category is among the fund's covered categories. */
  categoryCovered: z.boolean(),
  /** The provider is accredited (the fund pays accredited providers only). */
  providerAccredited: z.boolean(),
  /** The spending window (Italian days), inclusive. */
  spendFrom: day.nullable(),
  spendUntil: day.nullable(),
});

/** One fund this person can spend on this offer. */
export const fundOption = z.object({
  /** The fund owner's id of the fund (a campaign id, a plan id, a circuit id). */
  fundId: z.string().min(1).max(200),
  /** The kind of fund: VOUCHER (a Comune's measure), EMPLOYER (a welfare plan), IES. */
  kind: z.enum(['VOUCHER', 'EMPLOYER', 'IES']),
  /** The fund's name as the person knows it ("Buoni spesa 2026"). */
  label: localized,
  /** The person's balance in this fund. */
  balanceCents: z.number().int().min(0),
  /** What of it can pay this offer now (the balance, capped by the price and the fund's rules). */
  spendableCents: z.number().int().min(0),
  /** The fund is restricted to some uses (spent before unrestricted money by default). */
  restricted: z.boolean(),
  /** The last day it can be spent, if any (earliest-ending funds are spent first by default). */
  endsOn: day.nullable(),
  rule: fundRule,
});
export type FundOption = z.infer<typeof fundOption>;

export const quoteResponse = z.object({ options: z.array(fundOption) });
export type QuoteResponse = z.infer<typeof quoteResponse>;

export const holdRequest = z.object({
  /** The checkout leg: the hold's idempotency key. */
  legId: uuid,
  checkoutId: uuid,
  fundId: z.string().min(1).max(200),
  person: fundPerson,
  offer: fundOffer,
  amountCents: cents,
  /** When the hold lapses if not captured (ISO 8601). */
  expiresAt: z.string().datetime({ offset: true }),
});
export type HoldRequest = z.infer<typeof holdRequest>;

export const legRequest = z.object({ legId: uuid });
export type LegRequest = z.infer<typeof legRequest>;

export const refundRequest = z.object({
  legId: uuid,
  /** The refund's idempotency key. */
  refundId: uuid,
  amountCents: cents,
});
export type RefundRequest = z.infer<typeof refundRequest>;

/** A leg as the fund owner's book has it. */
export const fundLeg = z.object({
  legId: uuid,
  /**
   * HELD (pending), CAPTURED (posted), RELEASED (voided), EXPIRED (lapsed), UNKNOWN (the owner
   * never held it: a hold that never arrived).
   */
  status: z.enum(['HELD', 'CAPTURED', 'RELEASED', 'EXPIRED', 'UNKNOWN']),
  amountCents: z.number().int().min(0),
  /** Refunded so far (CAPTURED legs). */
  refundedCents: z.number().int().min(0),
  expiresAt: z.string().nullable(),
});
export type FundLeg = z.infer<typeof fundLeg>;

/** The reasons a fund owner refuses an operation with (`extensions.reason`). */
export const FUND_REFUSALS = [
  'NOT_COVERED',
  'INSUFFICIENT_FUNDS',
  'HOLD_EXPIRED',
  'HOLD_NOT_PENDING',
  'LEG_CONFLICT',
  'REFUND_EXCEEDS_CAPTURE',
] as const;
