// Money in the portal: euro as people type them in the forms, and cents as the pages show them.
// Amounts are integer cents everywhere (the API's SafeInt); they are parsed from the string and
// never go through a float. Pure: unit-tested in money.spec.ts.
import { type Locale, localeTag } from './locale';

/**
 * Euro as typed in Italy (`10.000`, `7.500,50`, `8000`, `€ 12,5`) to integer cents; a single dot
 * followed by one or two digits (`10.50`) is read as decimals. Null when it is not an amount (a
 * sign, three decimals, letters…) or too large to be exact. The forms that only need "an amount or
 * not" use it as is (the POS, the households filter, an offer's price).
 */
export function parseEuroCents(input: string): number | null {
  const text = input.replace(/€/g, '').replace(/\s+/g, '');
  const italian = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(text);
  const dotted = /^(\d+)\.(\d{1,2})$/.exec(text);
  const match = italian ?? dotted;
  if (!match) return null;
  const integer = (match[1] ?? '').replace(/\./g, '');
  const decimals = (match[2] ?? '').padEnd(2, '0');
  const cents = Number(integer) * 100 + Number(decimals);
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Why an amount was refused: `negative` for a leading minus, `tooLarge` over the maximum. */
export type EuroProblem = 'amount' | 'negative' | 'tooLarge';

/**
 * Like `parseEuroCents`, for forms that say why an amount is refused (the campaign editor): a
 * leading minus (`-`, `−`, `–`) before a readable amount is `negative`, an amount over `maxCents`
 * is `tooLarge`, anything else unreadable is `amount`.
 */
export function parseEuroAmount(
  text: string,
  maxCents: number,
): { cents: number } | { problem: EuroProblem } {
  const trimmed = text.replace(/\s+/g, '').replace(/^€/, '');
  if (/^[-−–]/.test(trimmed)) {
    return parseEuroCents(trimmed.slice(1)) === null
      ? { problem: 'amount' }
      : { problem: 'negative' };
  }
  const cents = parseEuroCents(trimmed);
  if (cents === null) return { problem: 'amount' };
  if (cents > maxCents) return { problem: 'tooLarge' };
  return { cents };
}

/**
 * Integer cents as a form field shows them, to be read back by `parseEuroCents`: `30.000`,
 * `12,50`, `0,05` (Italian grouping and decimal comma, no currency sign, no decimals when whole).
 */
export function formatEuroInput(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const euros = Math.floor(abs / 100).toString();
  const rest = abs % 100;
  const grouped = euros.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '-' : ''}${grouped}${rest ? `,${rest.toString().padStart(2, '0')}` : ''}`;
}

/**
 * Integer cents as the offer form shows a price, always with its cents and without grouping:
 * `12,50`, `1234,00` (read back by `parseEuroCents`).
 */
export function formatEuroInputCents(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

/** Euro cents as an amount in euro in the page's language, e.g. `10.000,00 €`. */
export function formatEuro(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(localeTag(locale), { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );
}

/**
 * Cents from the API's SafeInt scalar when absence means "none": the number, or null when the
 * value is missing or not a safe integer (a string is not read).
 */
export function centsOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/**
 * Cents from the API's SafeInt scalar when absence means "nothing": the number, 0 when the value
 * is null or missing (anything else goes through `Number`).
 */
export function centsOrZero(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}
