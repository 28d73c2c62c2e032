import type { Readable } from 'node:stream';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller, type FieldError } from '@welfare/kit';
import { csvFile } from '@welfare/kit/csv';
import type { PiiCipher } from '@welfare/kit/pii';
import type { AuditService } from '../audit/audit.service.js';
import { isUuid, requireComuneStaff } from '@welfare/kit/access';
import type { ImportKind } from '../shared/enums.js';
import { incomeChecker, registryChecker, type RowChecker } from './csv-columns.js';
import { importColumns, type ImportColumnDoc } from './import-columns.js';
import { ImportJob } from './import-job.entity.js';
import { ImportRejection } from './import-rejection.entity.js';
import { ImportStagingRow } from './import-staging-row.entity.js';
import { MAX_STORED_REJECTIONS, Staging, stageRows } from './import-staging.js';
import {
  analyzeRegistry,
  loadHeaderMapping,
  mergeStagedRows,
  replaceHeaderMapping,
} from './import.repository.js';
import { COLUMNS, headerKey } from './header-names.js';
import { PREVIEW_MAX_BYTES, previewImport, type ImportPreview } from './import-preview.js';

/** A header of a Comune's files and the column it holds. */
export interface HeaderMappingEntry {
  header: string;
  column: string;
}

/** Most headers a Comune maps per kind of file. */
export const MAX_MAPPED_HEADERS = 50;

/** Rejections a job shows through GraphQL. */
export const REJECTIONS_SHOWN = 200;

/**
 * CSV imports of the registry and of income data. A file streams through csv-parse, its
 * encoding and separator detected, its header's names recognised (aliases of registry software,
 * defaults for optional columns); every row is validated; valid rows are staged in `import_staging_row`, rejected
 * ones recorded with line, field and reason. Only when the whole file is clean are the staged
 * rows merged (upsert by natural key) in ONE transaction; otherwise the job FAILS and nothing
 * reaches the registry.
 */
export class ImportService {
  constructor(
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
  ) {}

  /**
   * A QUEUED job for the caller, staff of the Comune (FORBIDDEN otherwise). `id`, when given, is
   * the job's id chosen by the uploading page (a random UUID, so that it can show the job's
   * progress while it still sends the file): BAD_USER_INPUT (`jobId`) when malformed or taken.
   */
  async createJob(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    kind: ImportKind,
    id?: string,
  ): Promise<ImportJob> {
    const person = requireComuneStaff(caller, comuneId);
    if (id !== undefined && !isUuid(id)) throw jobIdRefused();
    const job = em.create(ImportJob, {
      ...(id === undefined ? {} : { id }),
      comuneId,
      kind,
      createdBy: person.personId,
    });
    try {
      await em.persistAndFlush(job);
    } catch (err) {
      if (id !== undefined && err instanceof UniqueConstraintViolationException) {
        throw jobIdRefused();
      }
      throw err;
    }
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
    const staging = new Staging(em, job.id);
    const mapping = new Map(
      (await loadHeaderMapping(em, job.comuneId, job.kind)).map((e) => [e.header, e.column]),
    );
    const { fileFailed } = await stageRows(job.kind, source, checker, staging, mapping, (format) =>
      em.nativeUpdate(ImportJob, { id: job.id }, { ...format }).then(() => undefined),
    );
    await staging.flush();
    if (fileFailed || staging.rowsRejected > 0) {
      await em.nativeDelete(ImportStagingRow, { job: job.id });
      await em.nativeUpdate(
        ImportJob,
        { id: job.id },
        { status: 'FAILED', rowsImported: 0, finishedAt: new Date() },
      );
    } else {
      await this.merge(em, job, staging.rowsStaged);
    }
    await em.refresh(job);
    return job;
  }

  /**
   * Merges a clean job's staged rows (upsert by natural key) in one transaction, marks it
   * SUCCEEDED and writes the audit log; then refreshes the registry's statistics.
   */
  private async merge(em: EntityManager, job: ImportJob, rowsStaged: number): Promise<void> {
    await em.transactional(async (tx) => {
      const rowsChanged = await mergeStagedRows(tx, job.kind, job.comuneId, job.id);
      await tx.nativeDelete(ImportStagingRow, { job: job.id });
      await tx.nativeUpdate(
        ImportJob,
        { id: job.id },
        { status: 'SUCCEEDED', rowsImported: rowsStaged, rowsChanged, finishedAt: new Date() },
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
    await analyzeRegistry(em);
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

  /** The Comune's mapping of headers to columns for a kind of file, by header. Staff only. */
  async headerMapping(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    kind: ImportKind,
  ): Promise<HeaderMappingEntry[]> {
    requireComuneStaff(caller, comuneId);
    return loadHeaderMapping(em, comuneId, kind);
  }

  /**
   * Replaces the Comune's mapping for a kind of file (an empty list removes it); used by every
   * later import of the Comune. Headers are kept in their `headerKey` form. BAD_USER_INPUT,
   * nothing written: an empty or longer than 100 characters header, one given twice, a column
   * that the kind of file does not have, more than MAX_MAPPED_HEADERS entries.
   */
  async saveHeaderMapping(
    em: EntityManager,
    caller: Caller,
    input: { comuneId: string; kind: ImportKind; entries: HeaderMappingEntry[] },
  ): Promise<HeaderMappingEntry[]> {
    const person = requireComuneStaff(caller, input.comuneId);
    const fields: FieldError[] = [];
    const seen = new Set<string>();
    const entries: HeaderMappingEntry[] = [];
    if (input.entries.length > MAX_MAPPED_HEADERS) {
      fields.push({
        field: 'entries',
        message: {
          it: `Al massimo ${MAX_MAPPED_HEADERS} intestazioni.`,
          en: `At most ${MAX_MAPPED_HEADERS} headers.`,
        },
      });
    }
    input.entries.forEach((entry, i) => {
      const header = headerKey(entry.header.normalize('NFC'));
      if (header === '' || header.length > 100) {
        fields.push({
          field: `entries.${i}.header`,
          message: {
            it: 'Intestazione vuota o troppo lunga (al massimo 100 caratteri).',
            en: 'Empty or too long header (at most 100 characters).',
          },
        });
      } else if (seen.has(header)) {
        fields.push({
          field: `entries.${i}.header`,
          message: { it: 'Intestazione ripetuta.', en: 'Header given twice.' },
        });
      }
      seen.add(header);
      if (!COLUMNS[input.kind].includes(entry.column)) {
        fields.push({
          field: `entries.${i}.column`,
          message: {
            it: `Colonna sconosciuta: usare ${COLUMNS[input.kind].join(', ')}.`,
            en: `Unknown column: use ${COLUMNS[input.kind].join(', ')}.`,
          },
        });
      }
      entries.push({ header, column: entry.column });
    });
    if (fields.length) throw DomainError.badInput(fields);
    await em.transactional((tx) =>
      replaceHeaderMapping(tx, input.comuneId, input.kind, entries, person.personId),
    );
    return loadHeaderMapping(em, input.comuneId, input.kind);
  }

  /**
   * What importing a file would give, from its first bytes (`head`, base64, at most
   * PREVIEW_MAX_BYTES; fewer are taken as the whole file): encoding, separator, each header's
   * column (the Comune's mapping first), the required columns missing and the first rows as
   * stored. Staff of the Comune only; writes nothing. BAD_USER_INPUT (`head`): not base64,
   * empty, or longer than PREVIEW_MAX_BYTES.
   */
  async preview(
    em: EntityManager,
    caller: Caller,
    input: { comuneId: string; kind: ImportKind; head: string },
  ): Promise<ImportPreview> {
    requireComuneStaff(caller, input.comuneId);
    const base64 = input.head.replace(/\s+/g, '');
    const head = /^[A-Za-z0-9+/]*={0,2}$/.test(base64) ? Buffer.from(base64, 'base64') : null;
    if (!head || head.length === 0 || head.length > PREVIEW_MAX_BYTES) {
      throw DomainError.badInput([
        {
          field: 'head',
          message: {
            it: `L’inizio del file deve essere in base64, da 1 a ${PREVIEW_MAX_BYTES} byte.`,
            en: `The file’s head must be base64, 1 to ${PREVIEW_MAX_BYTES} bytes.`,
          },
        },
      ]);
    }
    const mapping = new Map(
      (await loadHeaderMapping(em, input.comuneId, input.kind)).map((e) => [e.header, e.column]),
    );
    return previewImport(input.kind, head, head.length < PREVIEW_MAX_BYTES, mapping);
  }

  /** The columns of a kind of file (the format is public: no caller needed). */
  columns(kind: ImportKind): ImportColumnDoc[] {
    return importColumns(kind);
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

  /**
   * The rejections file of a job for staff of its Comune: every stored rejection (the first
   * MAX_STORED_REJECTIONS), by line, as CSV. NOT_FOUND when the job is missing.
   */
  async rejectionsCsv(em: EntityManager, caller: Caller, jobId: string): Promise<Buffer> {
    const job = await this.findJob(em, caller, jobId);
    if (!job) throw DomainError.notFound();
    const rows = await em.find(
      ImportRejection,
      { job: job.id },
      { orderBy: { line: 'asc', field: 'asc', id: 'asc' }, limit: MAX_STORED_REJECTIONS },
    );
    return csvFile([
      ['riga', 'campo', 'motivo', 'reason'],
      ...rows.map((r) => [r.line, r.field, r.reasonIt, r.reasonEn]),
    ]);
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

/** A job id chosen by the uploading page that is not a UUID or is already a job's. */
function jobIdRefused(): DomainError {
  return DomainError.badInput([
    {
      field: 'jobId',
      message: {
        it: 'Identificativo del caricamento non valido o già usato.',
        en: 'Upload id malformed or already used.',
      },
    },
  ]);
}
