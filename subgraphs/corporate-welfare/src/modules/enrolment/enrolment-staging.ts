import { randomUUID } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Localized } from '@welfare/kit';
import { CsvError, parse } from 'csv-parse';
import {
  ENROLMENT_COLUMNS,
  OPTIONAL_COLUMNS,
  type EnrolmentRow,
  type FieldProblem,
  type RowChecker,
} from './enrolment-columns.js';
import { EnrolmentJob, EnrolmentRejection, EnrolmentStagingRow } from './enrolment.entity.js';

// Mirrors public-welfare's `modules/imports/import-staging.ts` (the registry import): the same
// csv-parse settings, batches, rejection limit and file problems, for the enrolment file.

/** Rows staged (and progress written) per round trip. */
export const ENROLMENT_BATCH_ROWS = 500;
/** Rejections kept per job (every rejected row is counted in `rowsRejected`). */
export const MAX_STORED_REJECTIONS = 1000;

/** Raised by the upload when the body passes the size limit. */
export class UploadTooLarge extends Error {
  constructor() {
    super('upload too large');
    this.name = 'UploadTooLarge';
  }
}

interface Rejection {
  line: number;
  field: string;
  reason: Localized;
}

/**
 * A running job's valid rows (staged in `enrolment_staging_row`) and rejections (the first
 * MAX_STORED_REJECTIONS kept), written in batches with the job's progress.
 */
export class Staging {
  private readonly staged: { line: number; row: EnrolmentRow }[] = [];
  private readonly rejections: Rejection[] = [];
  private storedRejections = 0;
  rowsRead = 0;
  rowsRejected = 0;
  rowsStaged = 0;

  constructor(
    private readonly em: EntityManager,
    private readonly jobId: string,
  ) {}

  stage(line: number, row: EnrolmentRow): void {
    this.staged.push({ line, row });
  }

  reject(rejection: Rejection): void {
    this.rejections.push(rejection);
  }

  /** Whether a batch is ready to write. */
  get full(): boolean {
    return this.staged.length + this.rejections.length >= ENROLMENT_BATCH_ROWS;
  }

  /** Writes the staged rows (none once a row was rejected), the rejections kept and the progress. */
  async flush(): Promise<void> {
    const em = this.em;
    // A rejected row fails the whole file: staging more rows would be wasted work.
    if (this.staged.length && this.rowsRejected === 0) {
      await em.insertMany(
        EnrolmentStagingRow,
        this.staged.map((s) => ({ job: this.jobId, line: s.line, ...s.row })),
      );
      this.rowsStaged += this.staged.length;
    }
    this.staged.length = 0;
    const room = Math.max(0, MAX_STORED_REJECTIONS - this.storedRejections);
    const kept = this.rejections.slice(0, room);
    if (kept.length) {
      await em.insertMany(
        EnrolmentRejection,
        kept.map((r) => ({
          id: randomUUID(),
          job: this.jobId,
          line: r.line,
          field: r.field,
          reasonIt: r.reason.it,
          reasonEn: r.reason.en,
        })),
      );
      this.storedRejections += kept.length;
    }
    this.rejections.length = 0;
    await em.nativeUpdate(
      EnrolmentJob,
      { id: this.jobId },
      { rowsRead: this.rowsRead, rowsRejected: this.rowsRejected },
    );
  }
}

/**
 * Streams a file through csv-parse (`;`, BOM, header row) into `staging`: every row checked,
 * valid ones staged, rejected ones recorded, a batch written every ENROLMENT_BATCH_ROWS rows.
 * True when the file itself failed (a missing column, an empty or unreadable file, a broken upload).
 */
export async function stageRows(
  source: Readable,
  checker: RowChecker,
  staging: Staging,
): Promise<boolean> {
  const parser = parse({
    delimiter: ';',
    bom: true,
    info: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: false,
  });
  // Errors of the source (an aborted or oversized upload) reach the parser and its iterator.
  pipeline(source, parser, () => undefined);
  try {
    let columns: Columns | undefined;
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const { record, info } = item;
      if (!columns) {
        columns = headerColumns(record, info.lines, staging);
        if (!columns) return true;
        continue;
      }
      stageRow(record, info.lines, columns, checker, staging);
      if (staging.full) await staging.flush();
    }
    if (!columns) {
      staging.reject({
        line: 1,
        field: 'file',
        reason: { it: 'Il file è vuoto.', en: 'The file is empty.' },
      });
      return true;
    }
    return false;
  } catch (err) {
    staging.reject(fileProblem(err));
    return true;
  }
}

interface Columns {
  index: Map<string, number>;
  width: number;
}

/** The header's columns (names lower-cased, spaces as `_`), or undefined when one is missing. */
function headerColumns(record: string[], line: number, staging: Staging): Columns | undefined {
  const header = record.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
  const missing = ENROLMENT_COLUMNS.filter((c) => !header.includes(c));
  for (const field of missing) {
    staging.reject({
      line,
      field,
      reason: {
        it: `Colonna mancante nell’intestazione: ${field}.`,
        en: `Column missing from the header: ${field}.`,
      },
    });
  }
  const known = new Set<string>([...ENROLMENT_COLUMNS, ...OPTIONAL_COLUMNS]);
  return missing.length
    ? undefined
    : {
        index: new Map(header.flatMap((h, i) => (known.has(h) ? [[h, i] as const] : []))),
        width: header.length,
      };
}

/** One data row: checked, then staged or rejected (with every problem found). */
function stageRow(
  record: string[],
  line: number,
  columns: Columns,
  checker: RowChecker,
  staging: Staging,
): void {
  staging.rowsRead += 1;
  const width = columns.width;
  const problems: FieldProblem[] = [];
  let row: EnrolmentRow | undefined;
  if (record.length !== width) {
    problems.push({
      field: 'riga',
      reason: {
        it: `Numero di colonne errato (${record.length} invece di ${width}).`,
        en: `Wrong number of columns (${record.length} instead of ${width}).`,
      },
    });
  } else {
    const cells: Record<string, string> = {};
    for (const [name, index] of columns.index) cells[name] = record[index] ?? '';
    row = checker(cells, problems, line);
  }
  if (problems.length || !row) {
    staging.rowsRejected += 1;
    for (const p of problems) staging.reject({ line, ...p });
  } else {
    staging.stage(line, row);
  }
}

function fileProblem(err: unknown): Rejection {
  if (err instanceof UploadTooLarge) {
    return { line: 0, field: 'file', reason: { it: 'File troppo grande.', en: 'File too large.' } };
  }
  if (err instanceof CsvError) {
    const lines = (err as CsvError & { lines?: number }).lines ?? 0;
    return {
      line: lines,
      field: 'file',
      reason: {
        it: `File CSV non leggibile (${err.code}).`,
        en: `Unreadable CSV file (${err.code}).`,
      },
    };
  }
  return {
    line: 0,
    field: 'file',
    reason: { it: 'Caricamento interrotto.', en: 'Upload interrupted.' },
  };
}
