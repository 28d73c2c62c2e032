import type { Locale } from '$lib/locale';

/** Cents of IES as people read them (`12,50 IES`). */
export function ies(cents: number, locale: Locale): string {
  return `${new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'it-IT', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(cents / 100)} IES`;
}
