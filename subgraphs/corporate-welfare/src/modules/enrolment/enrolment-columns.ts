import type { Localized } from '@welfare/kit';
import { isValidPersonalFiscalCode, normaliseFiscalCode } from '@welfare/kit/pii';

// The enrolment file's columns and the check of one row. The parsers mirror public-welfare's
// `lib/italian-csv.ts` (dates as dd/mm/yyyy); subgraphs never import each other.

/** Required columns of the enrolment file, in the documented order (the header names them). */
export const ENROLMENT_COLUMNS = [
  'codice_fiscale',
  'nome',
  'cognome',
  'email',
  'categoria',
  'data_inizio',
  'figli_a_carico',
] as const;

/** Optional column: the last day of employment (a leaver). */
export const OPTIONAL_COLUMNS = ['data_fine'] as const;

/** Most dependent children accepted (the table's check). */
export const MAX_CHILDREN = 20;

export interface FieldProblem {
  field: string;
  reason: Localized;
}

/** A valid row, as staged. */
export interface EnrolmentRow {
  fiscalCode: string;
  givenName: string;
  familyName: string;
  email: string | null;
  categoryCode: string;
  startDate: string;
  endDate: string | null;
  dependentChildren: number;
}

/** Checks one row; collects a problem per bad field. `cells` maps column → raw text. */
export type RowChecker = (
  cells: Record<string, string>,
  problems: FieldProblem[],
  line: number,
) => EnrolmentRow | undefined;

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: Localized };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = (it: string, en: string): Parsed<never> => ({ ok: false, reason: { it, en } });

function take<T>(problems: FieldProblem[], field: string, parsed: Parsed<T>): T | undefined {
  if (parsed.ok) return parsed.value;
  problems.push({ field, reason: parsed.reason });
  return undefined;
}

/** A personal codice fiscale: shape and check character. */
export function parseFiscalCode(text: string): Parsed<string> {
  const value = normaliseFiscalCode(text);
  if (value === '') return no('Campo obbligatorio.', 'Required field.');
  return isValidPersonalFiscalCode(value)
    ? ok(value)
    : no(
        'Codice fiscale non valido (forma o carattere di controllo).',
        'Invalid codice fiscale (shape or check character).',
      );
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

/** A plausible e-mail address (one @, a dotted domain, no spaces), at most 254 characters. */
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

/** An e-mail address (lower case), or null for an empty cell when `optional`. */
export function parseEmail(text: string, optional = true): Parsed<string | null> {
  const value = text.trim().toLowerCase();
  if (value === '') return optional ? ok(null) : no('Campo obbligatorio.', 'Required field.');
  if (value.length > 254 || !EMAIL.test(value)) {
    return no('Indirizzo e-mail non valido.', 'Invalid e-mail address.');
  }
  return ok(value);
}

/** `dd/mm/yyyy` (or `yyyy-mm-dd`) → `yyyy-mm-dd`, a real calendar date between 1950 and 2100. */
export function parseDate(text: string): Parsed<string> {
  const value = text.trim();
  const italian = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!italian && !iso) {
    return no('Data non valida: usare gg/mm/aaaa.', 'Malformed date: use dd/mm/yyyy.');
  }
  const [day, month, year] = italian
    ? [Number(italian[1]), Number(italian[2]), Number(italian[3])]
    : [Number(iso![3]), Number(iso![2]), Number(iso![1])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return no('Data inesistente.', 'No such date.');
  }
  if (year < 1950 || year > 2100) {
    return no('Anno fuori intervallo (1950-2100).', 'Year out of range (1950-2100).');
  }
  return ok(date.toISOString().slice(0, 10));
}

/** A whole number of dependent children, 0 to MAX_CHILDREN; an empty cell is 0. */
export function parseChildren(text: string): Parsed<number> {
  const value = text.trim();
  if (value === '') return ok(0);
  if (!/^\d{1,2}$/.test(value) || Number(value) > MAX_CHILDREN) {
    return no(
      `Numero non valido: un intero da 0 a ${MAX_CHILDREN}.`,
      `Invalid number: a whole number from 0 to ${MAX_CHILDREN}.`,
    );
  }
  return ok(Number(value));
}

/** A category code the employer's plans define (upper-cased). */
export function parseCategory(text: string, known: ReadonlySet<string>): Parsed<string> {
  const value = text.trim().toUpperCase();
  if (value === '') return no('Campo obbligatorio.', 'Required field.');
  if (!known.has(value)) {
    const list = [...known].sort().join(', ');
    return known.size === 0
      ? no(
          'Nessun piano dell’azienda definisce categorie: creare prima un piano.',
          'No plan of the employer defines categories: create a plan first.',
        )
      : no(
          `Categoria non definita dai piani dell’azienda (ammesse: ${list}).`,
          `Category not defined by the employer’s plans (allowed: ${list}).`,
        );
  }
  return ok(value);
}

/** An end date on or after the start date (the two checked together). */
export function endProblem(startDate: string, endDate: string | null): Localized | undefined {
  return endDate !== null && endDate < startDate
    ? {
        it: 'La data di fine precede la data di inizio.',
        en: 'The end date is before the start date.',
      }
    : undefined;
}

/**
 * The checker of one file: each field, the category among the employer's plans' categories, an
 * end date not before the start, and a codice fiscale once per file.
 */
export function enrolmentChecker(categories: ReadonlySet<string>): RowChecker {
  const seen = new Map<string, number>();
  return (cells, problems, line) => {
    const fiscalCode = take(
      problems,
      'codice_fiscale',
      parseFiscalCode(cells.codice_fiscale ?? ''),
    );
    const givenName = take(problems, 'nome', parseText(cells.nome ?? '', 100));
    const familyName = take(problems, 'cognome', parseText(cells.cognome ?? '', 100));
    const email = take(problems, 'email', parseEmail(cells.email ?? ''));
    const categoryCode = take(
      problems,
      'categoria',
      parseCategory(cells.categoria ?? '', categories),
    );
    const startDate = take(problems, 'data_inizio', parseDate(cells.data_inizio ?? ''));
    const children = take(problems, 'figli_a_carico', parseChildren(cells.figli_a_carico ?? ''));
    const endText = cells.data_fine ?? '';
    const endDate = endText.trim() === '' ? null : take(problems, 'data_fine', parseDate(endText));
    if (startDate !== undefined && endDate !== undefined) {
      const problem = endProblem(startDate, endDate);
      if (problem) problems.push({ field: 'data_fine', reason: problem });
    }
    if (fiscalCode !== undefined) {
      const first = seen.get(fiscalCode);
      if (first !== undefined) {
        problems.push({
          field: 'codice_fiscale',
          reason: {
            it: `Codice fiscale già presente alla riga ${first} del file.`,
            en: `Codice fiscale already on line ${first} of the file.`,
          },
        });
      } else {
        seen.set(fiscalCode, line);
      }
    }
    if (problems.length > 0) return undefined;
    return {
      fiscalCode: fiscalCode!,
      givenName: givenName!,
      familyName: familyName!,
      email: email ?? null,
      categoryCode: categoryCode!,
      startDate: startDate!,
      endDate: endDate ?? null,
      dependentChildren: children!,
    };
  };
}
