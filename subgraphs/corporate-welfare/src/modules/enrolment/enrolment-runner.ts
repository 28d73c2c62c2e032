import type { Readable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import type { EnrolmentService } from './enrolment.service.js';

/**
 * Runs enrolment jobs in the background of the process and keeps track of them, so that shutdown
 * can wait for the running ones (`drain`) before the database pool closes.
 */
export class EnrolmentRunner {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly enrolment: EnrolmentService,
    private readonly logger: Logger,
  ) {}

  /** Starts the job over `source`; returns at once. The returned promise never rejects. */
  start(jobId: string, source: Readable): Promise<void> {
    const task = this.enrolment
      .run(this.orm.em.fork(), jobId, source)
      .then(
        (job) => this.logger.info({ jobId, status: job.status }, 'enrolment finished'),
        (err: unknown) => this.logger.error({ err, jobId }, 'enrolment failed'),
      )
      .finally(() => this.running.delete(task));
    this.running.add(task);
    return task;
  }

  /** Waits for every running job. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
