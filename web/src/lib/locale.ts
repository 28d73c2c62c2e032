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
