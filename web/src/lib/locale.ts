/** The portal's languages: Italian first, English second. */
export type Locale = 'it' | 'en';

/** A user-facing text in both languages (the API's `extensions.messages` shape). */
export interface Localized {
  it: string;
  en: string;
}

/** Picks the text for a language. */
export function pick(text: Localized, locale: Locale): string {
  return locale === 'en' ? text.en : text.it;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'it' || value === 'en';
}

/** The BCP 47 tag `Intl` formats a language with: Italy's Italian, British English. */
export function localeTag(locale: Locale): 'it-IT' | 'en-GB' {
  return locale === 'en' ? 'en-GB' : 'it-IT';
}
