import { Readable, pipeline } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Localized } from '@welfare/kit';
import { CsvError, parse } from 'csv-parse';
import type { ImportKind } from '../shared/enums.js';
import type { FieldProblem, RowChecker, StagedPayload } from './csv-columns.js';
import { MixedEncoding, openCsv, type FileFormat } from './csv-format.js';
import { COLUMNS, COLUMN_DEFAULTS, recogniseHeaders } from './header-names.js';
import { ImportJob } from './import-job.entity.js';
import { ImportRejection } from './import-rejection.entity.js';
import { ImportStagingRow } from './import-staging-row.entity.js';

/** Rows staged (and progress written) per round trip. */
export const IMPORT_BATCH_ROWS = 500;
/** Longest wait between two writes of progress while rows come in (the first row is written at once). */
export const PROGRESS_INTERVAL_MS = 1000;
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
 * A running job's valid rows (staged in `import_staging_row`) and rejections (line, field and
 * reason, the first MAX_STORED_REJECTIONS kept), written in batches with the job's progress.
 */
export class Staging {
  private readonly staged: { line: number; payload: StagedPayload }[] = [];
  private readonly rejections: Rejection[] = [];
  private storedRejections = 0;
  /** When a batch was last written (0: never, so the first row is written at once). */
  private lastFlush = 0;
  rowsRead = 0;
  rowsRejected = 0;
  rowsStaged = 0;

  constructor(
    private readonly em: EntityManager,
    private readonly jobId: string,
  ) {}

  stage(line: number, payload: StagedPayload): void {
    this.staged.push({ line, payload });
  }

  reject(rejection: Rejection): void {
    this.rejections.push(rejection);
  }

  /**
   * Whether a batch is ready to write: IMPORT_BATCH_ROWS rows, or the first row of the file, or
   * rows waiting for PROGRESS_INTERVAL_MS (so the progress shows from the first row on).
   */
  get full(): boolean {
    const waiting = this.staged.length + this.rejections.length;
    return (
      waiting >= IMPORT_BATCH_ROWS ||
      (waiting > 0 && Date.now() - this.lastFlush >= PROGRESS_INTERVAL_MS)
    );
  }

  /** Writes the staged rows, the rejections still kept and the job's progress. */
  async flush(): Promise<void> {
    this.lastFlush = Date.now();
    const em = this.em;
    if (this.staged.length) {
      await em.insertMany(
        ImportStagingRow,
        this.staged.map((s) => ({ job: this.jobId, line: s.line, payload: s.payload })),
      );
      this.rowsStaged += this.staged.length;
      this.staged.length = 0;
    }
    const room = Math.max(0, MAX_STORED_REJECTIONS - this.storedRejections);
    const kept = this.rejections.slice(0, room);
    if (kept.length) {
      await em.insertMany(
        ImportRejection,
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
      ImportJob,
      { id: this.jobId },
      { rowsRead: this.rowsRead, rowsRejected: this.rowsRejected },
    );
  }
}

/** What reading a file gave: whether the file itself failed, and its detected format. */
export interface StageOutcome {
  fileFailed: boolean;
  format?: FileFormat;
}

/**
 * Streams a file through csv-parse into `staging`: its encoding and separator detected from
 * its first bytes (`openCsv`), its header's names recognised (`recogniseHeaders`, the Comune's
 * `mapping` of header keys first), every row
 * checked with every cell in NFC, valid rows staged, rejected ones recorded, a batch written
 * every IMPORT_BATCH_ROWS rows. `onFormat` gets the format once detected and again at the end. `fileFailed` when the file itself failed (a missing column, an
 * empty or header-only or unreadable file, a broken upload).
 */
export async function stageRows(
  kind: ImportKind,
  source: Readable,
  checker: RowChecker,
  staging: Staging,
  mapping: ReadonlyMap<string, string> = new Map(),
  onFormat: (format: FileFormat) => Promise<void> = () => Promise.resolve(),
): Promise<StageOutcome> {
  let format: FileFormat | undefined;
  try {
    const opened = await openCsv(source);
    format = opened.format;
    await onFormat(format);
    const parser = parse({
      delimiter: format.separator,
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: false,
    });
    // Errors of the source (an aborted or oversized upload) reach the parser and its iterator.
    pipeline(Readable.from(opened.text), parser, () => undefined);
    let columns: Columns | undefined;
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const { record, info } = item;
      if (!columns) {
        columns = headerColumns(kind, record, info.lines, staging, mapping);
        if (!columns) return { fileFailed: true, format };
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
      return { fileFailed: true, format };
    }
    if (staging.rowsRead === 0) {
      staging.reject({
        line: 1,
        field: 'file',
        reason: {
          it: 'Nessuna riga da importare: il file contiene solo l’intestazione.',
          en: 'No rows to import: the file holds only its header.',
        },
      });
      return { fileFailed: true, format };
    }
    return { fileFailed: false, format };
  } catch (err) {
    staging.reject(fileProblem(err));
    return { fileFailed: true, format };
  } finally {
    // The encoding may have turned out Windows-1252 past the first line.
    if (format) await onFormat(format);
  }
}

/** A file's columns: the index of each recognised one's cell, the defaults, the width. */
interface Columns {
  index: Map<string, number>;
  defaults: Record<string, string>;
  width: number;
}

/**
 * The header's columns, recognised by name or alias, or undefined (each missing required column
 * rejected) when one is missing; an optional column missing takes its default.
 */
function headerColumns(
  kind: ImportKind,
  record: string[],
  line: number,
  staging: Staging,
  mapping: ReadonlyMap<string, string>,
): Columns | undefined {
  const headers = record.map((h) => h.normalize('NFC'));
  const recognised = recogniseHeaders(kind, headers, mapping);
  const unknown = headers.filter((h, i) => recognised[i] === undefined && h !== '');
  const defaults = COLUMN_DEFAULTS[kind];
  const index = new Map<string, number>();
  recognised.forEach((column, i) => {
    if (column !== undefined) index.set(column, i);
  });
  const missing = COLUMNS[kind].filter((c) => !index.has(c) && defaults[c] === undefined);
  for (const field of missing) {
    staging.reject({
      line,
      field,
      reason: unknown.length
        ? {
            it: `Colonna mancante nell’intestazione: ${field} (intestazioni non riconosciute: ${unknown.join(', ')}; si possono associare alle colonne nella pagina delle importazioni).`,
            en: `Column missing from the header: ${field} (headers not recognised: ${unknown.join(', ')}; they can be mapped to columns on the imports page).`,
          }
        : {
            it: `Colonna mancante nell’intestazione: ${field}.`,
            en: `Column missing from the header: ${field}.`,
          },
    });
  }
  return missing.length ? undefined : { index, defaults, width: record.length };
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
  let payload: StagedPayload | undefined;
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
    for (const [name, value] of Object.entries(columns.defaults)) cells[name] = value;
    // One spelling per name: composed (NFC) whatever the file used.
    for (const [name, index] of columns.index) cells[name] = (record[index] ?? '').normalize('NFC');
    payload = checker(cells, problems, line);
  }
  if (problems.length || !payload) {
    staging.rowsRejected += 1;
    for (const p of problems) staging.reject({ line, ...p });
  } else {
    staging.stage(line, payload);
  }
}

function fileProblem(err: unknown): Rejection {
  if (err instanceof UploadTooLarge) {
    return {
      line: 0,
      field: 'file',
      reason: { it: 'File troppo grande.', en: 'File too large.' },
    };
  }
  if (err instanceof MixedEncoding) {
    return {
      line: 0,
      field: 'file',
      reason: {
        it: 'Codifica dei caratteri non uniforme (il file inizia in UTF-8 ma poi non lo è più): salvarlo di nuovo come CSV UTF-8.',
        en: 'Inconsistent character encoding (the file starts as UTF-8 but then is not): save it again as CSV UTF-8.',
      },
    };
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
