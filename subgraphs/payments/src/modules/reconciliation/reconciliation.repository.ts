import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ReconciliationMismatch, ReconciliationRun } from './reconciliation.entity.js';

/** The queries of reconciliation runs and their mismatches. */
export class ReconciliationRepository {
  async start(em: EntityManager, windowStart: Date): Promise<ReconciliationRun> {
    const run = em.create(ReconciliationRun, { id: randomUUID(), windowStart });
    await em.flush();
    return run;
  }

  async finish(
    em: EntityManager,
    run: ReconciliationRun,
    mismatches: Omit<ReconciliationMismatch, 'id' | 'runId'>[],
    counts: { balanceTransactions: number; cardPayments: number },
  ): Promise<void> {
    for (const mismatch of mismatches) {
      em.create(ReconciliationMismatch, { ...mismatch, id: randomUUID(), runId: run.id });
    }
    run.balanceTransactions = counts.balanceTransactions;
    run.cardPayments = counts.cardPayments;
    run.mismatches = mismatches.length;
    run.finishedAt = new Date();
    await em.flush();
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
