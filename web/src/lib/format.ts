// Numbers in the page's language (Italian formats by default). Pure. Money is in money.ts, days
// and times in dates.ts.
import { type Locale, localeTag } from './locale';

/** A whole number with the language's grouping. */
export function formatCount(value: number, locale: Locale): string {
  return new Intl.NumberFormat(localeTag(locale)).format(value);
}
