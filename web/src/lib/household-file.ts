// Dates of the household file as dd/mm/yyyy (four-digit years), on Rome's calendar. Pure.
import { ROME_TIME_ZONE } from './dates';
import { type Locale, localeTag } from './locale';

const FULL_DAY = { day: '2-digit', month: '2-digit', year: 'numeric' } as const;

/** A calendar day (`yyyy-mm-dd`) as `dd/mm/yyyy`. */
export function formatFullDay(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTag(locale), { ...FULL_DAY, timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** An ISO instant as the `dd/mm/yyyy` day it falls on in Rome. */
export function formatFullDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTag(locale), {
    ...FULL_DAY,
    timeZone: ROME_TIME_ZONE,
  }).format(new Date(iso));
}
