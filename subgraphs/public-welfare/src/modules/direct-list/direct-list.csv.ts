import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import type { Localized } from '@welfare/kit';
import { isValidPersonalFiscalCode, normaliseFiscalCode } from '@welfare/kit/pii';
import { parseEuroCents, parseText } from '../../lib/italian-csv.js';
import { MAX_CENTS } from '../campaign/rules.js';
import { MixedEncoding, openCsv, type FileFormat } from '../imports/csv-format.js';
import { headerKey } from '../imports/header-names.js';

/** The columns of a list of beneficiaries, in the documented order. */
const DIRECT_LIST_COLUMNS = ['codice_fiscale', 'importo', 'motivo'] as const;
type Column = (typeof DIRECT_LIST_COLUMNS)[number];

/**
 * Other names of the columns (compared by `headerKey`): what lists decided elsewhere call them
 * (a council resolution's annex, the national IDPay list: `CF`, `CODICE_FISCALE_BENEFICIARIO`,
 * `IMPORTO_EURO`, `MOTIVAZIONE`, `CAUSALE`).
 */
const ALIASES: Record<Column, readonly string[]> = {
  codice_fiscale: ['CF', 'CODICE_FISCALE_BENEFICIARIO', 'CF_BENEFICIARIO'],
  importo: ['IMPORTO_EURO', 'IMPORTO_EUR', 'AMMONTARE', 'CONTRIBUTO'],
  motivo: ['MOTIVAZIONE', 'CAUSALE', 'MOTIVO_CONCESSIONE'],
};

/** Longest reason kept with an entitlement (it is the decision's reason on the case). */
const MAX_REASON_LENGTH = 500;

/** One valid line: the beneficiary, the amount in cents and the reason. */
export interface ListEntry {
  line: number;
  fiscalCode: string;
  amountCents: number;
  reason: string;
}

/** A refused line (or the whole file: field `file`), as import rejections are. */
export interface ListRejection {
  line: number;
  field: string;
  reason: Localized;
}

interface ParsedList {
  format: FileFormat | null;
  entries: ListEntry[];
  rejections: ListRejection[];
}

const columnOf = new Map<string, Column>();
for (const column of DIRECT_LIST_COLUMNS) {
  columnOf.set(headerKey(column), column);
  for (const alias of ALIASES[column]) columnOf.set(alias, column);
}

function fiscalCode(text: string): { ok: true; value: string } | { ok: false; reason: Localized } {
  const value = normaliseFiscalCode(text);
  if (value === '')
    return { ok: false, reason: { it: 'Campo obbligatorio.', en: 'Required field.' } };
  return isValidPersonalFiscalCode(value)
    ? { ok: true, value }
    : {
        ok: false,
        reason: {
          it: 'Codice fiscale non valido (forma o carattere di controllo).',
          en: 'Invalid codice fiscale (shape or check character).',
        },
      };
}

/**
 * Reads a list of beneficiaries `codice_fiscale;importo;motivo` with the imports' encoding and
 * separator detection (`imports/csv-format.ts`): the header names the columns (any order, other
 * names allowed, extra columns ignored), amounts in euro with a decimal comma (more than zero,
 * at most a campaign's largest budget), a reason of at most MAX_REASON_LENGTH characters, each
 * codice fiscale once. Every bad field of a line is one rejection; cells are read in NFC.
 */
export async function parseList(bytes: Buffer): Promise<ParsedList> {
  const entries: ListEntry[] = [];
  const rejections: ListRejection[] = [];
  let format: FileFormat | null = null;
  const fileProblem = (it: string, en: string) => {
    rejections.push({ line: 1, field: 'file', reason: { it, en } });
    return { format, entries: [], rejections };
  };
  try {
    const opened = await openCsv(Readable.from([bytes]));
    format = opened.format;
    const parser = parse({
      delimiter: format.separator,
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
    pipeline(Readable.from(opened.text), parser, () => undefined);
    let index: Map<Column, number> | undefined;
    let width = 0;
    const seen = new Map<string, number>();
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = info.lines;
      if (!index) {
        index = new Map();
        width = record.length;
        record.forEach((header, i) => {
          const column = columnOf.get(headerKey(header));
          if (column && !index!.has(column)) index!.set(column, i);
        });
        const missing = DIRECT_LIST_COLUMNS.filter((c) => !index!.has(c));
        for (const column of missing) {
          rejections.push({
            line: 1,
            field: column,
            reason: {
              it: `Colonna mancante nell’intestazione: ${column}.`,
              en: `Column missing from the header: ${column}.`,
            },
          });
        }
        if (missing.length > 0) return { format, entries: [], rejections };
        continue;
      }
      if (record.length !== width) {
        rejections.push({
          line,
          field: 'riga',
          reason: {
            it: `Numero di colonne errato (${record.length} invece di ${width}).`,
            en: `Wrong number of columns (${record.length} instead of ${width}).`,
          },
        });
        continue;
      }
      const at = index;
      const cell = (c: Column) => (record[at.get(c)!] ?? '').normalize('NFC');
      const before = rejections.length;
      const cf = fiscalCode(cell('codice_fiscale'));
      if (!cf.ok) rejections.push({ line, field: 'codice_fiscale', reason: cf.reason });
      else if (seen.has(cf.value)) {
        rejections.push({
          line,
          field: 'codice_fiscale',
          reason: {
            it: `Codice fiscale già presente alla riga ${seen.get(cf.value)} del file.`,
            en: `Codice fiscale already on line ${seen.get(cf.value)} of the file.`,
          },
        });
      } else seen.set(cf.value, line);
      const amount = parseEuroCents(cell('importo'), MAX_CENTS);
      if (!amount.ok) rejections.push({ line, field: 'importo', reason: amount.reason });
      else if (amount.value === 0) {
        rejections.push({
          line,
          field: 'importo',
          reason: {
            it: 'L’importo deve essere maggiore di zero.',
            en: 'The amount must be above zero.',
          },
        });
      }
      const reason = parseText(cell('motivo'), MAX_REASON_LENGTH);
      if (!reason.ok) rejections.push({ line, field: 'motivo', reason: reason.reason });
      if (rejections.length === before && cf.ok && amount.ok && reason.ok) {
        entries.push({
          line,
          fiscalCode: cf.value,
          amountCents: amount.value,
          reason: reason.value,
        });
      }
    }
    if (!index) return fileProblem('Il file è vuoto.', 'The file is empty.');
    if (entries.length === 0 && rejections.length === 0) {
      return fileProblem(
        'Nessuna riga da importare: il file contiene solo l’intestazione.',
        'No rows to import: the file holds only its header.',
      );
    }
    return { format, entries, rejections };
  } catch (err) {
    if (err instanceof MixedEncoding) {
      return fileProblem(
        'Codifica dei caratteri non uniforme: salvare il file in UTF-8.',
        'Mixed character encodings: save the file as UTF-8.',
      );
    }
    return fileProblem(
      'File non leggibile come CSV (virgolette non chiuse o righe non valide).',
      'The file cannot be read as CSV (unclosed quotes or malformed lines).',
    );
  }
}
