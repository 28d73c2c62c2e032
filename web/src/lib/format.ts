// Numbers and dates in the page's language (Italian formats by default). Pure.
import type { Locale } from './locale';

const tag = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'it-IT');

/** Euro cents as an amount in euro, e.g. `€ 10.000,00`. */
export function formatEuro(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(tag(locale), { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );
}

/** A whole number with the language's grouping. */
export function formatCount(value: number, locale: Locale): string {
  return new Intl.NumberFormat(tag(locale)).format(value);
}

/** An ISO instant as a date and time in Rome. */
export function formatDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(tag(locale), {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: 'Europe/Rome',
  }).format(new Date(iso));
}

/** A calendar date (`yyyy-mm-dd`) as the language writes it. */
export function formatDay(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: 'short', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}
