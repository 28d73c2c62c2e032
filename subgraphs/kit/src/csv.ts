import { stringify } from 'csv-stringify/sync';

/** What a CSV cell may hold. `null` and `undefined` become an empty cell. */
export type CsvValue = string | number | bigint | boolean | null | undefined;

/**
 * A cell a spreadsheet would run as a formula (or as DDE): text starting with `=`, `+`, `-`, `@`,
 * a tab or a carriage return (OWASP, "CSV Injection"), also after leading spaces, and their
 * full-width forms, which some spreadsheets fold to the ASCII ones.
 */
const FORMULA_START = /^[\s\u3000]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u;

/** A plain number (`-12`, `-3,50`, `1.5`): it cannot run, and neutralising it would make it text. */
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?$/;

/**
 * The text of a cell made safe to open in a spreadsheet: a value that could be read as a formula
 * gets a leading apostrophe, which spreadsheets show as text and never evaluate. Plain numbers
 * are left alone.
 */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** Options of `csvText`. */
export interface CsvOptions {
  /** Start with the UTF-8 byte order mark, so Excel reads accents right (default: false). */
  bom?: boolean;
}

/**
 * Rows as CSV in the Italian Excel dialect every export of the platform uses: `;` between cells,
 * CRLF after each row, `"` quoting where needed, and every text cell neutralised against formula
 * injection (`neutraliseCell`). The one CSV writer of the platform: exports never build CSV by hand.
 */
export function csvText(rows: readonly (readonly CsvValue[])[], options: CsvOptions = {}): string {
  const text = stringify(
    rows.map((row) => [...row]),
    {
      delimiter: ';',
      record_delimiter: '\r\n',
      cast: {
        string: (value) => neutraliseCell(value),
        boolean: (value) => (value ? 'true' : 'false'),
      },
    },
  );
  return options.bom ? `\ufeff${text}` : text;
}

/** A whole CSV file (with the byte order mark) as bytes, ready to send. */
export function csvFile(rows: readonly (readonly CsvValue[])[]): Buffer {
  return Buffer.from(csvText(rows, { bom: true }), 'utf8');
}
