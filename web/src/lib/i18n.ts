import type { Localized } from './locale';

type Message = (inputs?: Record<string, never>, options?: { locale?: 'it' | 'en' }) => string;

/** Both languages of a paraglide message: for texts a server action returns to the page. */
export function both(message: Message): Localized {
  return { it: message({}, { locale: 'it' }), en: message({}, { locale: 'en' }) };
}
