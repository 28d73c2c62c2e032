import { DomainError, FieldErrors } from '@welfare/kit';
import type { FundOption } from '@welfare/kit/contracts';

/*
 * How a price is split between the funds a person holds and the card (issue 15, "Checkout"), and
 * how a refund is split back over what was paid. Pure arithmetic on integer cents: no I/O.
 */

/** A fund option as payments sees it: the contract's option and the service that owns the fund. */
export interface FundChoice extends FundOption {
  /** The fund owner's service name (`public-welfare`, later `corporate-welfare`, `ies-circuit`). */
  owner: string;
}

/** One leg of a split: a fund's part, or the card's. */
export type SplitLeg =
  | { kind: 'FUND'; owner: string; fundId: string; amountCents: number }
  | { kind: 'CARD'; amountCents: number };

/** The person's own split: how much of each fund (the card pays the rest). */
export interface ChosenPart {
  owner: string;
  fundId: string;
  amountCents: number;
}

export interface SplitRules {
  /**
   * The least a card payment may be, in cents: Stripe's minimum charge for EUR is 0.50 €
   * (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
   */
  cardMinimumCents: number;
  /** Whether the payee can take card payments (an onboarded connected account). */
  cardAvailable: boolean;
}

/** `owner/fundId`: a fund's key across owners. */
export const fundKey = (owner: string, fundId: string) => `${owner}/${fundId}`;

/**
 * The default order in which funds pay: restricted funds before unrestricted ones, then the
 * earliest-ending first (a fund with no end last), then by owner and id so the order is stable.
 */
export function defaultOrder(options: readonly FundChoice[]): FundChoice[] {
  return [...options].sort(
    (a, b) =>
      Number(b.restricted) - Number(a.restricted) ||
      (a.endsOn ?? '9999-12-31').localeCompare(b.endsOn ?? '9999-12-31') ||
      a.owner.localeCompare(b.owner) ||
      a.fundId.localeCompare(b.fundId),
  );
}

/**
 * The default split of `amountCents`: each fund in the default order pays what it can, the card
 * the rest. When the rest would be a card payment below the minimum, the last fund used pays that
 * much less, so that the card part reaches the minimum (a fund never pays less than nothing; if
 * no fund can give way, the split keeps the small card part and `checkSplit` refuses it).
 */
export function defaultSplit(
  amountCents: number,
  options: readonly FundChoice[],
  rules: SplitRules,
): SplitLeg[] {
  const legs: Extract<SplitLeg, { kind: 'FUND' }>[] = [];
  let rest = amountCents;
  for (const option of defaultOrder(options)) {
    if (rest === 0) break;
    const part = Math.min(option.spendableCents, rest);
    if (part <= 0) continue;
    legs.push({ kind: 'FUND', owner: option.owner, fundId: option.fundId, amountCents: part });
    rest -= part;
  }
  if (rest > 0 && rest < rules.cardMinimumCents && rules.cardAvailable) {
    let short = rules.cardMinimumCents - rest;
    for (let i = legs.length - 1; i >= 0 && short > 0; i--) {
      const give = Math.min(short, legs[i]!.amountCents);
      legs[i]!.amountCents -= give;
      rest += give;
      short -= give;
    }
  }
  const funds = legs.filter((leg) => leg.amountCents > 0);
  return rest > 0 ? [...funds, { kind: 'CARD', amountCents: rest }] : funds;
}

/**
 * The split of a person's choice: the parts they chose from their funds, the card the rest.
 * Refuses (BAD_USER_INPUT, a message per part) a part that is not a whole number of cents, is
 * negative, names a fund they cannot use here, or is above what that fund can pay; a total above
 * the price; and a card part the payee cannot take or below the card minimum.
 */
export function chosenSplit(
  amountCents: number,
  options: readonly FundChoice[],
  chosen: readonly ChosenPart[],
  rules: SplitRules,
): SplitLeg[] {
  const errors = new FieldErrors();
  const byKey = new Map(options.map((o) => [fundKey(o.owner, o.fundId), o]));
  const seen = new Set<string>();
  const legs: SplitLeg[] = [];
  let total = 0;
  chosen.forEach((part, i) => {
    const field = `parts.${i}.amountCents`;
    const key = fundKey(part.owner, part.fundId);
    const option = byKey.get(key);
    if (!option || seen.has(key)) {
      errors.add(
        `parts.${i}.fundId`,
        'Questo fondo non può pagare questo servizio.',
        'This fund cannot pay for this service.',
      );
      return;
    }
    seen.add(key);
    if (!Number.isSafeInteger(part.amountCents) || part.amountCents < 0) {
      errors.add(
        field,
        'Indica un importo in centesimi, zero o più.',
        'Enter an amount in cents, zero or more.',
      );
      return;
    }
    if (part.amountCents > option.spendableCents) {
      errors.add(
        field,
        'L’importo supera quanto questo fondo può pagare.',
        'The amount is more than this fund can pay.',
      );
      return;
    }
    total += part.amountCents;
    if (part.amountCents > 0) {
      legs.push({
        kind: 'FUND',
        owner: part.owner,
        fundId: part.fundId,
        amountCents: part.amountCents,
      });
    }
  });
  errors.throwIfAny();
  if (total > amountCents) {
    throw DomainError.badInput([
      {
        field: 'parts',
        message: {
          it: 'La somma delle parti supera il prezzo.',
          en: 'The parts add up to more than the price.',
        },
      },
    ]);
  }
  const card = amountCents - total;
  checkCardPart(card, rules);
  return card > 0 ? [...legs, { kind: 'CARD', amountCents: card }] : legs;
}

/** Refuses a card part the payee cannot take, or one below the card minimum. */
export function checkCardPart(cardCents: number, rules: SplitRules): void {
  if (cardCents === 0) return;
  if (!rules.cardAvailable) {
    throw DomainError.badInput([
      {
        field: 'parts',
        message: {
          it: 'Questo ente non accetta pagamenti con carta: copri l’intero importo con i tuoi fondi.',
          en: 'This provider does not take card payments: cover the whole amount with your funds.',
        },
      },
    ]);
  }
  if (cardCents < rules.cardMinimumCents) {
    const min = (rules.cardMinimumCents / 100).toFixed(2).replace('.', ',');
    const minEn = (rules.cardMinimumCents / 100).toFixed(2);
    throw DomainError.badInput([
      {
        field: 'parts',
        message: {
          it: `La parte con carta deve essere almeno ${min} €, oppure zero.`,
          en: `The card part must be at least €${minEn}, or zero.`,
        },
      },
    ]);
  }
}

/** A leg already paid, for a refund: what was captured and what has gone back already. */
export interface PaidLeg {
  id: string;
  capturedCents: number;
  refundedCents: number;
}

/**
 * Splits a refund of `refundCents` over the paid legs in proportion to what each captured, to the
 * cent. The rule (largest remainder, Hamilton's method):
 * 1. each leg gets floor(refund × captured / total captured);
 * 2. the cents left over go one each to the legs with the largest fractional part of that
 *    product, ties to the leg listed first (the checkout lists fund legs before the card);
 * 3. no leg gets more than it still holds (captured − refunded): any excess moves, in the same
 *    order, to the legs that still have room.
 * A full refund gives every leg exactly what it has left. Refuses a refund above what is left.
 */
export function refundSplit(refundCents: number, legs: readonly PaidLeg[]): Map<string, number> {
  const left = legs.map((leg) => leg.capturedCents - leg.refundedCents);
  const totalLeft = left.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(refundCents) || refundCents <= 0 || refundCents > totalLeft) {
    throw DomainError.badInput([
      {
        field: 'amountCents',
        message: {
          it: 'L’importo da rimborsare supera quanto resta pagato.',
          en: 'The amount to refund is more than what remains paid.',
        },
      },
    ]);
  }
  const captured = legs.reduce((a, leg) => a + leg.capturedCents, 0);
  const shares = legs.map((leg, i) => {
    const exact = BigInt(refundCents) * BigInt(leg.capturedCents);
    const whole = Number(exact / BigInt(captured));
    const remainder = Number(exact % BigInt(captured));
    return { i, whole, remainder };
  });
  let over = refundCents - shares.reduce((a, s) => a + s.whole, 0);
  for (const s of [...shares].sort((a, b) => b.remainder - a.remainder || a.i - b.i)) {
    if (over === 0) break;
    s.whole += 1;
    over -= 1;
  }
  // Cap each leg at what it has left, and give the excess to the legs with room, in order.
  let excess = 0;
  for (const s of shares) {
    if (s.whole > left[s.i]!) {
      excess += s.whole - left[s.i]!;
      s.whole = left[s.i]!;
    }
  }
  for (const s of shares) {
    if (excess === 0) break;
    const room = left[s.i]! - s.whole;
    const give = Math.min(room, excess);
    s.whole += give;
    excess -= give;
  }
  return new Map(shares.map((s) => [legs[s.i]!.id, s.whole]));
}
