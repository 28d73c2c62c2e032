import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ReconciliationMismatch, ReconciliationRun } from './reconciliation.entity.js';

/** The queries of reconciliation runs and their mismatches. */
export class ReconciliationRepository {
  /**
   * Records a finished run with its counts and mismatches, in one transaction: a run is written
   * once, whole, never updated (a report, not a balance).
   */
  async record(
    em: EntityManager,
    run: { startedAt: Date; windowStart: Date; balanceTransactions: number; cardPayments: number },
    mismatches: Omit<ReconciliationMismatch, 'id' | 'runId'>[],
  ): Promise<ReconciliationRun> {
    return em.transactional(async (tx) => {
      const row = tx.create(ReconciliationRun, {
        ...run,
        id: randomUUID(),
        mismatches: mismatches.length,
        finishedAt: new Date(),
      });
      await tx.flush(); // the run before its mismatches (their foreign key)
      for (const mismatch of mismatches) {
        tx.create(ReconciliationMismatch, { ...mismatch, id: randomUUID(), runId: row.id });
      }
      await tx.flush();
      return row;
    });
  }

  /** The latest finished run, if any. */
  latestFinished(em: EntityManager): Promise<ReconciliationRun | null> {
    return em.findOne(
      ReconciliationRun,
      { finishedAt: { $ne: null } },
      { orderBy: { startedAt: 'desc' } },
    );
  }

  /** The latest runs, newest first (index `reconciliation_run_started_idx`). */
  latest(em: EntityManager, limit: number): Promise<ReconciliationRun[]> {
    return em.find(ReconciliationRun, {}, { orderBy: { startedAt: 'desc' }, limit });
  }

  /** The mismatches of some runs. */
  mismatchesOf(em: EntityManager, runIds: string[]): Promise<ReconciliationMismatch[]> {
    return em.find(
      ReconciliationMismatch,
      { runId: { $in: runIds } },
      { orderBy: { stripeAccountId: 'asc', kind: 'asc', id: 'asc' } },
    );
  }
}
