import { Readable } from 'node:stream';
import type { Localized } from '@welfare/kit';
import { CsvError, parse } from 'csv-parse';
import type { ImportKind } from '../shared/enums.js';
import {
  MixedEncoding,
  SNIFF_BYTES,
  detectEncoding,
  openCsv,
  type FileFormat,
} from './csv-format.js';
import { COLUMNS, COLUMN_DEFAULTS, recogniseHeaders } from './header-names.js';

/** Most bytes of a file's head a preview reads (the bytes the import itself sniffs). */
export const PREVIEW_MAX_BYTES = SNIFF_BYTES;
/** Data rows a preview shows. */
const PREVIEW_ROWS = 5;

/** A header of the file and the column it was recognised as (undefined: not recognised). */
interface PreviewHeader {
  header: string;
  column: string | null;
}

/** A data row of the preview: its line and its cells in the preview's `columns` order. */
interface PreviewRow {
  line: number;
  cells: string[];
}

/** What an import would make of a file, computed from its first bytes only. */
export interface ImportPreview extends FileFormat {
  headers: PreviewHeader[];
  /** The columns the rows hold, in the documented order (recognised or defaulted). */
  columns: string[];
  /** Required columns no header names: the import would fail. */
  missingColumns: string[];
  rows: PreviewRow[];
  /** Why the head could not be read as CSV (null when it could). */
  problem: Localized | null;
}

/**
 * The head cut after its last whole line when it is not the whole file (`complete` false), so a
 * row or a character cut by the end of the head is not read. UTF-16's line feed is two bytes,
 * at an even offset.
 */
function wholeLines(head: Buffer, complete: boolean): Buffer {
  if (complete) return head;
  const encoding = detectEncoding(head);
  if (encoding === 'UTF-16LE' || encoding === 'UTF-16BE') {
    const lf = encoding === 'UTF-16LE' ? [0x0a, 0x00] : [0x00, 0x0a];
    for (let i = (head.length & ~1) - 2; i >= 0; i -= 2) {
      if (head[i] === lf[0] && head[i + 1] === lf[1]) return head.subarray(0, i + 2);
    }
    return head.subarray(0, head.length & ~1);
  }
  const end = head.lastIndexOf(0x0a);
  return end < 0 ? head : head.subarray(0, end + 1);
}

/**
 * The preview of an import from the first bytes of its file (`complete`: they are the whole
 * file): the encoding and separator as the import detects them (`openCsv`), each header and the
 * column it is recognised as (the Comune's `mapping` of header keys first), the required
 * columns missing, and the first PREVIEW_ROWS rows as they would be stored (every cell trimmed
 * and in NFC, the defaults of optional columns left out of the file). Writes nothing.
 */
export async function previewImport(
  kind: ImportKind,
  head: Buffer,
  complete: boolean,
  mapping: ReadonlyMap<string, string> = new Map(),
): Promise<ImportPreview> {
  const bytes = wholeLines(head, complete);
  const preview: ImportPreview = {
    encoding: detectEncoding(bytes),
    separator: ';',
    headers: [],
    columns: [],
    missingColumns: [],
    rows: [],
    problem: null,
  };
  let records: Readable | undefined;
  let format: FileFormat | undefined;
  let index: Map<string, number> | undefined;
  try {
    const opened = await openCsv(Readable.from([bytes]));
    format = opened.format;
    records = Readable.from(opened.text).pipe(
      parse({
        delimiter: opened.format.separator,
        bom: true,
        info: true,
        trim: true,
        skip_empty_lines: true,
        relax_column_count: true,
        relax_quotes: false,
      }),
    );
    for await (const item of records as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const { record, info } = item;
      if (!index) {
        index = headerIndex(kind, record, mapping, preview);
        continue;
      }
      const cells = preview.columns.map((column) => {
        const i = index!.get(column);
        return i === undefined
          ? (COLUMN_DEFAULTS[kind][column] ?? '')
          : (record[i] ?? '').normalize('NFC');
      });
      preview.rows.push({ line: info.lines, cells });
      if (preview.rows.length === PREVIEW_ROWS) break;
    }
  } catch (err) {
    preview.problem = readProblem(err);
  } finally {
    records?.destroy();
    // The encoding may have turned out Windows-1252 past the first line.
    if (format) Object.assign(preview, format);
  }
  return preview;
}

/** Fills the preview's headers, columns and missing columns; the cell index of each column. */
function headerIndex(
  kind: ImportKind,
  record: string[],
  mapping: ReadonlyMap<string, string>,
  preview: ImportPreview,
): Map<string, number> {
  const headers = record.map((h) => h.normalize('NFC'));
  const recognised = recogniseHeaders(kind, headers, mapping);
  const index = new Map<string, number>();
  recognised.forEach((column, i) => {
    if (column !== undefined) index.set(column, i);
  });
  preview.headers = headers.map((header, i) => ({ header, column: recognised[i] ?? null }));
  const defaults = COLUMN_DEFAULTS[kind];
  preview.columns = COLUMNS[kind].filter((c) => index.has(c) || defaults[c] !== undefined);
  preview.missingColumns = COLUMNS[kind].filter((c) => !preview.columns.includes(c));
  return index;
}

function readProblem(err: unknown): Localized {
  if (err instanceof MixedEncoding) {
    return {
      it: 'Codifica dei caratteri non uniforme: salvare il file di nuovo come CSV UTF-8.',
      en: 'Inconsistent character encoding: save the file again as CSV UTF-8.',
    };
  }
  const code = err instanceof CsvError ? err.code : 'ERROR';
  return { it: `File CSV non leggibile (${code}).`, en: `Unreadable CSV file (${code}).` };
}
