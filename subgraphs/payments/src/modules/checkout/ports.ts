import {
  FUND_PATHS,
  PAYABLE_PATHS,
  fundLeg,
  payableDescription,
  quoteResponse,
  type FundLeg,
  type FundOffer,
  type FundPerson,
  type PayableDescription,
  type QuoteResponse,
} from '@welfare/kit/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ServiceClient } from '@welfare/kit/service';

/*
 * What the checkout talks to: the fund owners (the fund contract), the payable's owner (the
 * payable contract) and the card processor. The first two are the kit's contracts over
 * service-to-service HTTP; the card is Stripe (card.port.ts). Each port's operations are
 * idempotent by the ids the checkout gives them, so the checkout retries any of them after an
 * unknown outcome (`OutcomeUnknown`) or a crash.
 */

/** One fund owner's side of the fund contract. */
export interface FundPort {
  quote(person: FundPerson, offer: FundOffer, amountCents: number): Promise<QuoteResponse>;
  hold(input: {
    legId: string;
    checkoutId: string;
    fundId: string;
    person: FundPerson;
    offer: FundOffer;
    amountCents: number;
    expiresAt: Date;
  }): Promise<FundLeg>;
  capture(legId: string): Promise<FundLeg>;
  release(legId: string): Promise<FundLeg>;
  refund(legId: string, refundId: string, amountCents: number): Promise<FundLeg>;
  leg(legId: string): Promise<FundLeg>;
}

/** The payable owner's side of the payable contract. */
export interface PayablePort {
  describe(ref: string, personId: string): Promise<PayableDescription>;
  begin(input: {
    ref: string;
    checkoutId: string;
    personId: string;
    amountCents: number;
    until: Date;
  }): Promise<PayableDescription>;
  complete(ref: string, checkoutId: string): Promise<PayableDescription>;
  abandon(ref: string, checkoutId: string): Promise<PayableDescription>;
  refunded(input: {
    ref: string;
    checkoutId: string;
    refundId: string;
    amountCents: number;
    cancel: boolean;
  }): Promise<PayableDescription>;
}

/** How this service reaches another: its name and base URL, and this service's signing key. */
export interface ServiceTarget {
  /** This service's name and private key. */
  self: { service: string; privateKey: string };
  /** The called service. */
  audience: string;
  baseUrl: string;
  timeoutMs?: number;
}

const client = (target: ServiceTarget) =>
  new ServiceClient({
    service: target.self.service,
    privateKey: target.self.privateKey,
    audience: target.audience,
    baseUrl: target.baseUrl,
    ...(target.timeoutMs ? { timeoutMs: target.timeoutMs } : {}),
  });

/** A fund owner reached through the fund contract. */
export function contractFund(target: ServiceTarget): FundPort {
  const c = client(target);
  return {
    quote: (person, offer, amountCents) =>
      c.call(FUND_PATHS.quote, { person, offer, amountCents }, quoteResponse),
    hold: (input) =>
      c.call(FUND_PATHS.hold, { ...input, expiresAt: input.expiresAt.toISOString() }, fundLeg),
    capture: (legId) => c.call(FUND_PATHS.capture, { legId }, fundLeg),
    release: (legId) => c.call(FUND_PATHS.release, { legId }, fundLeg),
    refund: (legId, refundId, amountCents) =>
      c.call(FUND_PATHS.refund, { legId, refundId, amountCents }, fundLeg),
    leg: (legId) => c.call(FUND_PATHS.leg, { legId }, fundLeg),
  };
}

/** A payable's owner reached through the payable contract. */
export function contractPayable(target: ServiceTarget): PayablePort {
  const c = client(target);
  return {
    describe: (ref, personId) =>
      c.call(PAYABLE_PATHS.describe, { ref, personId }, payableDescription),
    begin: (input) =>
      c.call(
        PAYABLE_PATHS.begin,
        { ...input, until: input.until.toISOString() },
        payableDescription,
      ),
    complete: (ref, checkoutId) =>
      c.call(PAYABLE_PATHS.complete, { ref, checkoutId }, payableDescription),
    abandon: (ref, checkoutId) =>
      c.call(PAYABLE_PATHS.abandon, { ref, checkoutId }, payableDescription),
    refunded: (input) => c.call(PAYABLE_PATHS.refunded, input, payableDescription),
  };
}

/** The kind of payable a reference names (`offer-booking:<id>` → `offer-booking`). */
export const payableKindOf = (ref: string): string => ref.slice(0, ref.indexOf(':'));

/** Which service owns each kind of payable. */
export const PAYABLE_OWNERS: Readonly<Record<string, string>> = {
  'offer-booking': 'third-sector',
};

/** The card part's state at the card processor, as the checkout needs it. */
export const CARD_STATES = [
  /** Created; the person has not paid yet. */
  'PENDING',
  /** Paid and authorised, not captured (manual capture). */
  'AUTHORISED',
  'CAPTURED',
  /** Declined, expired or cancelled: nothing will be charged. */
  'FAILED',
] as const;
export type CardState = (typeof CARD_STATES)[number];

/** The card processor (Stripe), as the checkout uses it (card payments live in this subgraph). */
export interface CardPort {
  /**
   * Opens the hosted payment of the card leg (idempotent by `legId`, Stripe's idempotency key):
   * the person pays there. Answers the page's URL.
   */
  open(
    em: EntityManager,
    input: {
      legId: string;
      amountCents: number;
      payeeOrganisationId: string;
      description: string;
      expiresAt: Date;
    },
  ): Promise<{ url: string }>;
  /** Whether the payee can take card payments (an onboarded account). */
  available(em: EntityManager, payeeOrganisationId: string): Promise<boolean>;
  /** The card leg's state, brought up to Stripe's own first (a lost event). */
  state(em: EntityManager, legId: string): Promise<CardState>;
  capture(em: EntityManager, legId: string): Promise<void>;
  /** Cancels an authorisation or an unpaid session (nothing is charged); a settled one is left. */
  cancel(em: EntityManager, legId: string): Promise<void>;
  refund(em: EntityManager, legId: string, refundId: string, amountCents: number): Promise<void>;
}
