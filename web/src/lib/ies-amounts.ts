// IES amounts in the catalogue's pages: integer cents shown as `12,50` (1 IES = 1 euro). Pure.
import { formatEuroInput, parseEuroCents } from './money';

/** Cents of IES as the pages write them, without the unit: `12,50`, `40`. */
export function iesAmount(cents: number): string {
  return formatEuroInput(cents);
}

/** An amount of IES as typed (`5`, `2,50`) to cents; null when it is not one or not positive. */
export function parseIes(text: string): number | null {
  const cents = parseEuroCents(text);
  return cents !== null && cents > 0 ? cents : null;
}
