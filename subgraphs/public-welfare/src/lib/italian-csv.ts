import type { Localized } from '@welfare/kit';

/**
 * Values as the Italian Excel dialect writes them: amounts with a decimal comma and dots between
 * thousands (`12.345,67`), dates as dd/mm/yyyy, yes/no as SI/NO. Each parser returns the value or
 * the reason it was refused, in Italian and English.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: Localized };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = (it: string, en: string): Parsed<never> => ({ ok: false, reason: { it, en } });

/** Largest ISEE accepted: 1,000,000 euro, in cents. */
export const MAX_ISEE_CENTS = 100_000_000;

const AMOUNT = /^(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2})?$/;

/** `12.345,67` → 1234567 cents. Refuses negative, malformed and absurd (over 1,000,000 €) amounts. */
export function parseEuroCents(text: string, max = MAX_ISEE_CENTS): Parsed<number> {
  const value = text.trim().replace(/\s*€\s*/g, '');
  if (value === '') return no('Importo mancante.', 'Missing amount.');
  if (/^-/.test(value)) return no('L’importo non può essere negativo.', 'Negative amount.');
  if (!AMOUNT.test(value)) {
    return no(
      'Importo non valido: usare la virgola per i decimali (es. 12.345,67).',
      'Malformed amount: use a decimal comma (e.g. 12.345,67).',
    );
  }
  const [whole = '0', decimals = ''] = value.replace(/\./g, '').split(',');
  const cents = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || cents > max) {
    return no(
      `Importo fuori scala (oltre ${max / 100} euro).`,
      `Amount out of range (over ${max / 100} euro).`,
    );
  }
  return ok(cents);
}

/** `dd/mm/yyyy` → `yyyy-mm-dd`, a real calendar date between `minYear` and `maxYear`. */
export function parseItalianDate(text: string, minYear = 1900, maxYear = 2100): Parsed<string> {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!match) return no('Data non valida: usare gg/mm/aaaa.', 'Malformed date: use dd/mm/yyyy.');
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return no('Data inesistente.', 'No such date.');
  }
  if (year < minYear || year > maxYear) {
    return no(
      `Anno fuori intervallo (${minYear}-${maxYear}).`,
      `Year out of range (${minYear}-${maxYear}).`,
    );
  }
  return ok(date.toISOString().slice(0, 10));
}

const YES = new Set(['SI', 'SÌ', 'S', 'TRUE', 'VERO', '1', 'X']);
const NO = new Set(['NO', 'N', 'FALSE', 'FALSO', '0']);

/** SI/NO (also S/N, 1/0, VERO/FALSO, TRUE/FALSE); an empty cell is `emptyAs` when given. */
export function parseYesNo(text: string, emptyAs?: boolean): Parsed<boolean> {
  const value = text.trim().toUpperCase();
  if (value === '' && emptyAs !== undefined) return ok(emptyAs);
  if (YES.has(value)) return ok(true);
  if (NO.has(value)) return ok(false);
  return no('Valore non valido: usare SI o NO.', 'Invalid value: use SI or NO.');
}

/** One of `allowed` (case-insensitive). */
export function parseChoice<T extends string>(text: string, allowed: readonly T[]): Parsed<T> {
  const value = text.trim().toUpperCase();
  const found = allowed.find((a) => a === value);
  if (found) return ok(found);
  const list = allowed.join(', ');
  return no(`Valore non ammesso: usare ${list}.`, `Value not allowed: use ${list}.`);
}

/** A non-empty text of at most `max` characters, whitespace collapsed. */
export function parseText(text: string, max: number): Parsed<string> {
  const value = text.replace(/\s+/g, ' ').trim();
  if (value === '') return no('Campo obbligatorio.', 'Required field.');
  if (value.length > max) {
    return no(
      `Testo troppo lungo (massimo ${max} caratteri).`,
      `Too long (at most ${max} characters).`,
    );
  }
  return ok(value);
}
