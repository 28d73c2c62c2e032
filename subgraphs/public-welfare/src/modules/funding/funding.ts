import { FieldErrors } from '@welfare/kit';
import { MAX_CENTS } from '../campaign/rules.js';

/* A campaign's funding sources: the rules of the list and how spending is split among them. */

/** Who funds a campaign's budget. */
export const FUNDING_SOURCE_KINDS = [
  'STATE',
  'REGION',
  'COMUNE',
  'EU',
  'DONATION',
  'OTHER',
] as const;
export type FundingSourceKind = (typeof FUNDING_SOURCE_KINDS)[number];

/**
 * How the money reported on a campaign is split among its sources: `PRO_RATA` in proportion to
 * their amounts (the default), `PRIORITY` in the Comune's order (the first source is used up before
 * the second, and so on: many grants must be spent before the Comune's own money).
 */
export const FUNDING_ALLOCATIONS = ['PRO_RATA', 'PRIORITY'] as const;
export type FundingAllocation = (typeof FUNDING_ALLOCATIONS)[number];

/** At most this many sources per campaign (a form of a page; no real measure has more). */
export const MAX_FUNDING_SOURCES = 20;

/** One source as given by staff or stored. */
export interface FundingSource {
  kind: FundingSourceKind;
  /** The source's name or reference, e.g. the decree or the donor. */
  name: string;
  amountCents: number;
}

/** Cents as Italian and English euro text, for messages (e.g. `1.234,50 €`, `€1,234.50`). */
function euro(cents: number): { it: string; en: string } {
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u0000');
  const fraction = String(cents % 100).padStart(2, '0');
  return {
    it: `${whole.replaceAll('\u0000', '.')},${fraction} €`,
    en: `€${whole.replaceAll('\u0000', ',')}.${fraction}`,
  };
}

/**
 * The list, checked row by row (`sources.<i>.kind|name|amountCents`) and as a whole (`sources`:
 * too many rows, or a sum different from the budget). An empty list is allowed (no sources
 * declared); a non-empty one must sum exactly to `budgetCents`. Returns the rows with trimmed
 * names; throws BAD_USER_INPUT with every error otherwise.
 */
export function checkFundingSources(
  sources: readonly FundingSource[],
  budgetCents: number,
): FundingSource[] {
  const errors = new FieldErrors();
  if (sources.length > MAX_FUNDING_SOURCES) {
    errors.add(
      'sources',
      `Al massimo ${MAX_FUNDING_SOURCES} fonti.`,
      `At most ${MAX_FUNDING_SOURCES} sources.`,
    );
    errors.throwIfAny();
  }
  const rows = sources.map((s) => ({ ...s, name: (s.name ?? '').trim() }));
  const seen = new Set<string>();
  let sum = 0;
  let amountsValid = true;
  rows.forEach((s, i) => {
    if (!(FUNDING_SOURCE_KINDS as readonly string[]).includes(s.kind))
      errors.add(`sources.${i}.kind`, 'Tipo di fonte sconosciuto.', 'Unknown kind of source.');
    if (s.name.length < 2 || s.name.length > 200)
      errors.add(`sources.${i}.name`, 'Da 2 a 200 caratteri.', '2 to 200 characters.');
    else {
      const key = `${s.kind}\u0000${s.name.toLocaleLowerCase('it')}`;
      if (seen.has(key))
        errors.add(
          `sources.${i}.name`,
          'Fonte già indicata in una riga precedente.',
          'Source already given in an earlier row.',
        );
      seen.add(key);
    }
    if (!Number.isSafeInteger(s.amountCents) || s.amountCents < 1 || s.amountCents > MAX_CENTS) {
      amountsValid = false;
      errors.add(
        `sources.${i}.amountCents`,
        'Importo in centesimi tra 0,01 € e 100.000.000 €.',
        'Amount in cents between €0.01 and €100,000,000.',
      );
    } else sum += s.amountCents;
  });
  if (amountsValid && rows.length > 0 && sum !== budgetCents) {
    const given = euro(sum);
    const budget = euro(budgetCents);
    errors.add(
      'sources',
      `La somma delle fonti (${given.it}) deve essere uguale al bilancio della misura (${budget.it}).`,
      `The sources must add up to the campaign's budget (${budget.en}); they add up to ${given.en}.`,
    );
  }
  errors.throwIfAny();
  return rows;
}

/**
 * Splits `total` cents among shares proportional to `weights` (each > 0) by the largest remainder
 * method: each part is the floor of its exact share, and the cents left over go one each to the
 * largest remainders, ties to the earlier share. The parts are integers, sum exactly to `total`,
 * and each differs from its exact share by less than one cent. A negative total is split as its
 * opposite, then negated. Exact for any safe integers (BigInt arithmetic).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  if (total < 0) return allocate(-total, weights).map((x) => (x === 0 ? 0 : -x));
  const w = weights.map((x) => BigInt(x));
  const sum = w.reduce((a, b) => a + b, 0n);
  if (sum <= 0n) throw new RangeError('allocate: the weights must sum above zero');
  const t = BigInt(total);
  const parts = w.map((x) => (t * x) / sum);
  const remainders = w.map((x, i) => ({ i, r: t * x - parts[i]! * sum }));
  let left = t - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = parts[i]! + 1n;
    left -= 1n;
  }
  return parts.map((x) => Number(x));
}

/**
 * Splits `total` cents among sources used in order: each part is min(amount, max(0, total − the
 * amounts before it)), so the first source fills up before the second gets anything. What exceeds
 * the sum of the amounts (a budget raised after the sources were declared) goes to the last
 * source, so the parts always sum exactly to `total`. A negative total is split as its opposite,
 * then negated. `amounts` must be positive safe integers.
 */
export function fillInOrder(total: number, amounts: readonly number[]): number[] {
  if (amounts.length === 0) return [];
  if (total < 0) return fillInOrder(-total, amounts).map((x) => (x === 0 ? 0 : -x));
  let left = total;
  const parts = amounts.map((amount) => {
    const part = Math.min(amount, left);
    left -= part;
    return part;
  });
  parts[parts.length - 1]! += left;
  return parts;
}
