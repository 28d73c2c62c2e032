import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportKind } from '../shared/enums.js';
import { MERGE_SQL } from './merge.sql.js';

/* The imports' statements (the jobs, staging rows and rejections otherwise go through MikroORM). */

/** Runs the merge of a clean job's staged rows into the registry (`MERGE_SQL`, in order) on `tx`. */
export async function mergeStagedRows(
  tx: EntityManager,
  kind: ImportKind,
  comuneId: string,
  jobId: string,
): Promise<void> {
  for (const sql of MERGE_SQL[kind]) await tx.execute(sql, [comuneId, jobId]);
}

/** Refreshes the planner's statistics of the registry's tables (after a bulk load). */
export async function analyzeRegistry(em: EntityManager): Promise<void> {
  await em.execute(
    'analyze "public_welfare"."household", "public_welfare"."household_member", "public_welfare"."income_declaration"',
  );
}
