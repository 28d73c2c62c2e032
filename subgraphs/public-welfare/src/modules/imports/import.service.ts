import { pipeline, type Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller, type Localized, type PiiCipher } from '@welfare/kit';
import { CsvError, parse } from 'csv-parse';
import type { AuditService } from '../audit/audit.service.js';
import { isUuid, requireComuneStaff } from '../shared/access.js';
import type { ImportKind } from '../shared/enums.js';
import {
  INCOME_COLUMNS,
  REGISTRY_COLUMNS,
  incomeChecker,
  registryChecker,
  type FieldProblem,
  type RowChecker,
  type StagedPayload,
} from './csv-columns.js';
import { ImportJob } from './import-job.entity.js';
import { ImportRejection } from './import-rejection.entity.js';
import { ImportStagingRow } from './import-staging-row.entity.js';
import { MERGE_SQL } from './merge.sql.js';

/** Rows staged (and progress written) per round trip. */
export const IMPORT_BATCH_ROWS = 500;
/** Rejections kept per job (every rejected row is counted in `rowsRejected`). */
export const MAX_STORED_REJECTIONS = 1000;
/** Rejections a job shows through GraphQL. */
export const REJECTIONS_SHOWN = 200;

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

const COLUMNS: Record<ImportKind, readonly string[]> = {
  REGISTRY: REGISTRY_COLUMNS,
  INCOME: INCOME_COLUMNS,
};

/**
 * CSV imports of the registry and of income data. A file streams through csv-parse (`;`, BOM,
 * header row); every row is validated; valid rows are staged in `import_staging_row`, rejected
 * ones recorded with line, field and reason. Only when the whole file is clean are the staged
 * rows merged (upsert by natural key) in ONE transaction; otherwise the job FAILS and nothing
 * reaches the registry.
 */
export class ImportService {
  constructor(
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
  ) {}

  /** A QUEUED job for the caller, staff of the Comune (FORBIDDEN otherwise). */
  async createJob(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    kind: ImportKind,
  ): Promise<ImportJob> {
    const person = requireComuneStaff(caller, comuneId);
    const job = em.create(ImportJob, { comuneId, kind, createdBy: person.personId });
    await em.persistAndFlush(job);
    return job;
  }

  /** Creates a job and runs it to the end (tests, scripts). */
  async importFile(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    kind: ImportKind,
    source: Readable,
  ): Promise<ImportJob> {
    const job = await this.createJob(em, caller, comuneId, kind);
    return this.run(em, job.id, source);
  }

  /** The platform's own load (demo data): no caller, `createdBy` null. */
  async importAsSystem(
    em: EntityManager,
    comuneId: string,
    kind: ImportKind,
    source: Readable,
  ): Promise<ImportJob> {
    const job = em.create(ImportJob, { comuneId, kind, createdBy: null });
    await em.persistAndFlush(job);
    return this.run(em, job.id, source);
  }

  /**
   * Runs a QUEUED job over `source`. Never throws for a bad file (the job FAILS with its
   * rejections); a database failure propagates and leaves the job RUNNING, which the next
   * start-up marks FAILED (`failInterrupted`).
   */
  async run(em: EntityManager, jobId: string, source: Readable): Promise<ImportJob> {
    const job = await em.findOneOrFail(ImportJob, { id: jobId });
    job.status = 'RUNNING';
    job.startedAt = new Date();
    await em.flush();

    const checker: RowChecker =
      job.kind === 'REGISTRY' ? registryChecker(this.pii) : incomeChecker(this.pii);
    const staged: { line: number; payload: StagedPayload }[] = [];
    const rejections: Rejection[] = [];
    let storedRejections = 0;
    let rowsRead = 0;
    let rowsRejected = 0;
    let rowsStaged = 0;
    let fileFailed = false;

    const flushBatch = async () => {
      if (staged.length) {
        await em.insertMany(
          ImportStagingRow,
          staged.map((s) => ({ job: job.id, line: s.line, payload: s.payload })),
        );
        rowsStaged += staged.length;
        staged.length = 0;
      }
      const room = Math.max(0, MAX_STORED_REJECTIONS - storedRejections);
      const kept = rejections.slice(0, room);
      if (kept.length) {
        await em.insertMany(
          ImportRejection,
          kept.map((r) => ({
            id: randomUUID(),
            job: job.id,
            line: r.line,
            field: r.field,
            reasonIt: r.reason.it,
            reasonEn: r.reason.en,
          })),
        );
        storedRejections += kept.length;
      }
      rejections.length = 0;
      await em.nativeUpdate(ImportJob, { id: job.id }, { rowsRead, rowsRejected });
    };

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
      let columns: Map<string, number> | undefined;
      let width = 0;
      for await (const item of parser as AsyncIterable<{
        record: string[];
        info: { lines: number };
      }>) {
        const { record, info } = item;
        if (!columns) {
          const header = record.map((h) => h.trim().toLowerCase());
          const missing = COLUMNS[job.kind].filter((c) => !header.includes(c));
          if (missing.length) {
            for (const field of missing) {
              rejections.push({
                line: info.lines,
                field,
                reason: {
                  it: `Colonna mancante nell’intestazione: ${field}.`,
                  en: `Column missing from the header: ${field}.`,
                },
              });
            }
            fileFailed = true;
            break;
          }
          columns = new Map(header.map((h, i) => [h, i]));
          width = header.length;
          continue;
        }
        rowsRead += 1;
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
          for (const [name, index] of columns) cells[name] = record[index] ?? '';
          payload = checker(cells, problems, info.lines);
        }
        if (problems.length || !payload) {
          rowsRejected += 1;
          for (const p of problems) rejections.push({ line: info.lines, ...p });
        } else {
          staged.push({ line: info.lines, payload });
        }
        if (staged.length + rejections.length >= IMPORT_BATCH_ROWS) await flushBatch();
      }
      if (!columns && !fileFailed) {
        fileFailed = true;
        rejections.push({
          line: 1,
          field: 'file',
          reason: { it: 'Il file è vuoto.', en: 'The file is empty.' },
        });
      }
    } catch (err) {
      fileFailed = true;
      rejections.push(fileProblem(err));
    }
    await flushBatch();

    if (fileFailed || rowsRejected > 0) {
      await em.nativeDelete(ImportStagingRow, { job: job.id });
      await em.nativeUpdate(
        ImportJob,
        { id: job.id },
        { status: 'FAILED', rowsImported: 0, finishedAt: new Date() },
      );
    } else {
      await em.transactional(async (tx) => {
        for (const sql of MERGE_SQL[job.kind]) await tx.execute(sql, [job.comuneId, job.id]);
        await tx.nativeDelete(ImportStagingRow, { job: job.id });
        await tx.nativeUpdate(
          ImportJob,
          { id: job.id },
          { status: 'SUCCEEDED', rowsImported: rowsStaged, finishedAt: new Date() },
        );
        await this.audit.record(
          tx,
          job.createdBy ? `person:${job.createdBy}` : 'system',
          job.comuneId,
          job.kind === 'REGISTRY' ? 'IMPORT_REGISTRY' : 'IMPORT_INCOME',
          `import_job:${job.id}`,
        );
      });
      // A bulk load changes the tables' statistics at once: refresh them now rather than when
      // autovacuum gets to it, or the planner keeps estimating an empty registry (nested loops
      // over the whole registry in the campaign simulation).
      await em.execute(
        'analyze "public_welfare"."household", "public_welfare"."household_member", "public_welfare"."income_declaration"',
      );
    }
    await em.refresh(job);
    return job;
  }

  /** At start-up: jobs left QUEUED or RUNNING by a stopped process FAIL; their staging goes. */
  async failInterrupted(em: EntityManager): Promise<number> {
    return em.transactional(async (tx) => {
      const jobs = await tx.find(ImportJob, { status: { $in: ['QUEUED', 'RUNNING'] } });
      for (const job of jobs) {
        job.status = 'FAILED';
        job.finishedAt = new Date();
        tx.create(ImportRejection, {
          job,
          line: 0,
          field: 'file',
          reasonIt: 'Importazione interrotta dal riavvio del servizio: ricaricare il file.',
          reasonEn: 'Import interrupted by a service restart: upload the file again.',
        });
      }
      if (jobs.length) {
        await tx.nativeDelete(ImportStagingRow, { job: { $in: jobs.map((j) => j.id) } });
      }
      return jobs.length;
    });
  }

  /** One job for staff of its Comune; null when missing; FORBIDDEN for anyone else. */
  async findJob(em: EntityManager, caller: Caller, id: string): Promise<ImportJob | null> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(id)) return null;
    const job = await em.findOne(ImportJob, { id });
    if (!job) return null;
    requireComuneStaff(caller, job.comuneId);
    return job;
  }

  /** The Comune's jobs, newest first (at most 100). */
  async listJobs(em: EntityManager, caller: Caller, comuneId: string): Promise<ImportJob[]> {
    requireComuneStaff(caller, comuneId);
    return em.find(
      ImportJob,
      { comuneId },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: 100 },
    );
  }

  /** The first rejections of a job, by line (the job was already authorised). */
  rejections(
    em: EntityManager,
    job: ImportJob,
    first = REJECTIONS_SHOWN,
  ): Promise<ImportRejection[]> {
    return em.find(
      ImportRejection,
      { job: job.id },
      {
        orderBy: { line: 'asc', field: 'asc', id: 'asc' },
        limit: Math.min(first, REJECTIONS_SHOWN),
      },
    );
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
