// The checkout form of a booking: the person's split of the price over their funds, the card for
// the rest. Pure: unit-tested in checkout.spec.ts. The payments API checks the split again.
import { parseEuroCents } from './money';

/** A fund that can pay, as `checkoutOptions` lists it. */
export interface SplitFund {
  owner: string;
  fundId: string;
  spendableCents: number;
}

/** What the card may take: whether the payee takes cards, and the smallest card part. */
export interface CardRules {
  cardAvailable: boolean;
  cardMinimumCents: number;
}

/** Why a part of the split was refused. */
export type SplitProblem = 'amount' | 'tooMuch' | 'overPrice' | 'cardUnavailable' | 'cardMinimum';

/** The id of the card part's line (its errors are shown there). */
export const CARD_FIELD = 'checkout-card';

/** The form field (name and id) of the amount of the fund at `index` of the options. */
export const fundField = (index: number): string => `checkout-fund-${index}`;

/** One part of the split as the API takes it (`CheckoutPartInput`). */
export interface SplitPart {
  owner: string;
  fundId: string;
  amountCents: number;
}

/**
 * Reads the amounts typed for each fund (euro, Italian style; empty is 0) and checks them: each a
 * readable amount, at most what the fund can pay; together at most the price; a card part the
 * payee can take and not below its minimum. Answers the parts (one per fund, zeros included, in
 * the options' order) and the card part, or the problems by field.
 */
export function parseSplit(
  typed: readonly string[],
  funds: readonly SplitFund[],
  priceCents: number,
  rules: CardRules,
): { parts: SplitPart[]; cardCents: number } | { problems: Partial<Record<string, SplitProblem>> } {
  const problems: Partial<Record<string, SplitProblem>> = {};
  const parts: SplitPart[] = [];
  let total = 0;
  funds.forEach((fund, i) => {
    const text = (typed[i] ?? '').trim();
    const cents = text === '' ? 0 : parseEuroCents(text);
    if (cents === null) {
      problems[fundField(i)] = 'amount';
      return;
    }
    if (cents > fund.spendableCents) {
      problems[fundField(i)] = 'tooMuch';
      return;
    }
    total += cents;
    parts.push({ owner: fund.owner, fundId: fund.fundId, amountCents: cents });
  });
  if (Object.keys(problems).length > 0) return { problems };
  const cardCents = priceCents - total;
  if (cardCents < 0) return { problems: { [CARD_FIELD]: 'overPrice' } };
  if (cardCents > 0 && !rules.cardAvailable) {
    return { problems: { [CARD_FIELD]: 'cardUnavailable' } };
  }
  if (cardCents > 0 && cardCents < rules.cardMinimumCents) {
    return { problems: { [CARD_FIELD]: 'cardMinimum' } };
  }
  return { parts, cardCents };
}

/**
 * The form field an API error about the split belongs to: `parts.<i>.…` is the i-th part sent
 * (one per fund, in order), `parts` the split as a whole (shown on the card's line).
 */
export function splitFieldOf(apiField: string): string | null {
  const part = /^parts\.(\d+)\./.exec(apiField);
  if (part) return fundField(Number(part[1]));
  return apiField === 'parts' ? CARD_FIELD : null;
}

/** The card part of a split typed so far, or null while an amount cannot be read. */
export function cardPartOf(typed: readonly string[], priceCents: number): number | null {
  let total = 0;
  for (const text of typed) {
    const cents = text.trim() === '' ? 0 : parseEuroCents(text);
    if (cents === null) return null;
    total += cents;
  }
  return priceCents - total;
}

/** A checkout that has ended, or is waiting for the person (not moving on its own now). */
export const FINAL_CHECKOUT_STATUSES: readonly string[] = ['PAID', 'FAILED'];

/** What is still paid of a checkout (captured parts less refunds), in cents. */
export function refundableCents(checkout: {
  status: string;
  legs: readonly { amountCents: number; refundedCents: number; status: string }[];
}): number {
  if (checkout.status !== 'PAID') return 0;
  return checkout.legs.reduce(
    (sum, leg) => sum + (leg.status === 'CAPTURED' ? leg.amountCents - leg.refundedCents : 0),
    0,
  );
}

/** The failure reason's message key family: the page shows a sentence for each. */
export type FailureKind =
  | 'cancelled'
  | 'timeOut'
  | 'cardDeclined'
  | 'card'
  | 'fundInsufficient'
  | 'fund'
  | 'payable'
  | 'other';

/** Groups the API's failure reason codes (`CARD_DECLINED`, `FUND_…`, `PAYABLE_…`). */
export function failureKind(reason: string | null | undefined): FailureKind {
  if (!reason) return 'other';
  if (reason === 'CANCELLED') return 'cancelled';
  if (reason === 'TIME_OUT' || reason === 'FUND_HOLD_EXPIRED') return 'timeOut';
  if (reason === 'CARD_DECLINED') return 'cardDeclined';
  if (reason.startsWith('CARD_')) return 'card';
  if (reason === 'FUND_INSUFFICIENT_FUNDS') return 'fundInsufficient';
  if (reason.startsWith('FUND_')) return 'fund';
  if (reason.startsWith('PAYABLE_')) return 'payable';
  return 'other';
}
