import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller } from '@welfare/kit';
import { isUuid } from '@welfare/kit/access';
import { csvFile } from '@welfare/kit/csv';
import { requireHr } from '../shared/access.js';
import type { AfterEnrolment } from './after-enrolment.js';
import { enrolmentChecker } from './enrolment-columns.js';
import {
  analyzeEmployees,
  employerCategoryCodes,
  mergeStagedRows,
} from './enrolment.repository.js';
import { EnrolmentJob, EnrolmentRejection, EnrolmentStagingRow } from './enrolment.entity.js';
import { MAX_STORED_REJECTIONS, Staging, stageRows } from './enrolment-staging.js';
import { enqueueInvitations } from './invitation.js';

/** Rejections a job shows through GraphQL. */
export const REJECTIONS_SHOWN = 200;
/** Jobs listed at most. */
const JOBS_LISTED = 50;

/**
 * Enrolment of employees by CSV, as the Comune's registry import: the file streams through
 * csv-parse; every row is validated (codice fiscale, names, e-mail, a category the employer's
 * plans define, dates, dependent children, a codice fiscale once); valid rows are staged, rejected
 * ones recorded with line, field and reason. Only a wholly clean file is merged (upsert by
 * employer and codice fiscale) in ONE transaction, with the invitations of the new employees;
 * otherwise the job FAILS and no employee is written. Re-importing the same file changes nothing.
 */
export class EnrolmentService {
  constructor(private readonly afterEnrolment: AfterEnrolment) {}

  /** A QUEUED job for the caller, HR of the employer (FORBIDDEN otherwise). */
  async createJob(em: EntityManager, caller: Caller, employerId: string): Promise<EnrolmentJob> {
    const person = requireHr(caller, employerId);
    const job = em.create(EnrolmentJob, { employerId, createdBy: person.personId });
    await em.persistAndFlush(job);
    return job;
  }

  /** Creates a job and runs it to the end (tests, scripts). */
  async importFile(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    source: Readable,
  ): Promise<EnrolmentJob> {
    const job = await this.createJob(em, caller, employerId);
    return this.run(em, job.id, source);
  }

  /** The platform's own load (demo data): no caller, `createdBy` null. */
  async importAsSystem(
    em: EntityManager,
    employerId: string,
    source: Readable,
  ): Promise<EnrolmentJob> {
    const job = em.create(EnrolmentJob, { employerId, createdBy: null });
    await em.persistAndFlush(job);
    return this.run(em, job.id, source);
  }

  /**
   * Runs a QUEUED job over `source`. Never throws for a bad file (the job FAILS with its
   * rejections); a database failure propagates and leaves the job RUNNING, which the next
   * start-up marks FAILED (`failInterrupted`).
   */
  async run(em: EntityManager, jobId: string, source: Readable): Promise<EnrolmentJob> {
    const job = await em.findOneOrFail(EnrolmentJob, { id: jobId });
    job.status = 'RUNNING';
    job.startedAt = new Date();
    await em.flush();
    const categories = await employerCategoryCodes(em, job.employerId);
    const staging = new Staging(em, job.id);
    const fileFailed = await stageRows(source, enrolmentChecker(categories), staging);
    await staging.flush();
    if (fileFailed || staging.rowsRejected > 0) {
      await em.nativeDelete(EnrolmentStagingRow, { job: job.id });
      await em.nativeUpdate(
        EnrolmentJob,
        { id: job.id },
        { status: 'FAILED', rowsImported: 0, finishedAt: new Date() },
      );
    } else {
      await em.transactional(async (tx) => {
        const { created, changed } = await mergeStagedRows(tx, job.employerId, job.id);
        await enqueueInvitations(tx, job.employerId);
        await tx.nativeDelete(EnrolmentStagingRow, { job: job.id });
        await tx.nativeUpdate(
          EnrolmentJob,
          { id: job.id },
          {
            status: 'SUCCEEDED',
            rowsImported: staging.rowsStaged,
            rowsCreated: created,
            rowsChanged: changed,
            finishedAt: new Date(),
          },
        );
      });
      await this.afterEnrolment(em, job.employerId);
      if (staging.rowsStaged >= 1000) await analyzeEmployees(em);
    }
    await em.refresh(job);
    return job;
  }

  /** At start-up: jobs left QUEUED or RUNNING by a stopped process FAIL; their staging goes. */
  async failInterrupted(em: EntityManager): Promise<number> {
    return em.transactional(async (tx) => {
      const jobs = await tx.find(EnrolmentJob, { status: { $in: ['QUEUED', 'RUNNING'] } });
      for (const job of jobs) {
        job.status = 'FAILED';
        job.finishedAt = new Date();
        tx.create(EnrolmentRejection, {
          job,
          line: 0,
          field: 'file',
          reasonIt: 'Importazione interrotta dal riavvio del servizio: ricaricare il file.',
          reasonEn: 'Import interrupted by a service restart: upload the file again.',
        });
      }
      if (jobs.length) {
        await tx.nativeDelete(EnrolmentStagingRow, { job: { $in: jobs.map((j) => j.id) } });
      }
      return jobs.length;
    });
  }

  /** One job of the employer for its HR; null when missing or another employer's. */
  async findJob(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    id: string,
  ): Promise<EnrolmentJob | null> {
    requireHr(caller, employerId);
    if (!isUuid(id)) return null;
    return em.findOne(EnrolmentJob, { id, employerId });
  }

  /** The employer's jobs, newest first (at most 50): its HR only. */
  listJobs(em: EntityManager, caller: Caller, employerId: string): Promise<EnrolmentJob[]> {
    requireHr(caller, employerId);
    return em.find(
      EnrolmentJob,
      { employerId },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: JOBS_LISTED },
    );
  }

  /**
   * The rejections file of a job of the employer (every stored rejection, the first
   * MAX_STORED_REJECTIONS, by line) as CSV, for its HR; NOT_FOUND when missing or another's.
   */
  async rejectionsCsv(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    jobId: string,
  ): Promise<Buffer> {
    const job = await this.findJob(em, caller, employerId, jobId);
    if (!job) throw DomainError.notFound();
    const rows = await em.find(
      EnrolmentRejection,
      { job: job.id },
      { orderBy: { line: 'asc', field: 'asc', id: 'asc' }, limit: MAX_STORED_REJECTIONS },
    );
    return csvFile([
      ['riga', 'campo', 'motivo', 'reason'],
      ...rows.map((r) => [r.line, r.field, r.reasonIt, r.reasonEn]),
    ]);
  }

  /** The first rejections of a job, by line (the job was already authorised). */
  rejections(em: EntityManager, job: EnrolmentJob): Promise<EnrolmentRejection[]> {
    return em.find(
      EnrolmentRejection,
      { job: job.id },
      { orderBy: { line: 'asc', field: 'asc', id: 'asc' }, limit: REJECTIONS_SHOWN },
    );
  }
}
