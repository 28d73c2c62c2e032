import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportKind } from '../shared/enums.js';
import { arrayLiteral } from '@welfare/kit/book';
import { MERGE_SQL, REGISTRY_ROWS_CHANGED_SQL } from './merge.sql.js';

/* The imports' statements (the jobs, staging rows and rejections otherwise go through MikroORM). */

/**
 * Runs the merge of a clean job's staged rows into the registry (`MERGE_SQL`, in order) on `tx`;
 * returns how many rows of the file changed something (inserted or rewritten).
 */
export async function mergeStagedRows(
  tx: EntityManager,
  kind: ImportKind,
  comuneId: string,
  jobId: string,
): Promise<number> {
  const changedKeys: string[][] = [];
  for (const sql of MERGE_SQL[kind]) {
    const rows = await tx.execute<Record<string, string>[]>(sql, [comuneId, jobId]);
    changedKeys.push(rows.map((r) => Object.values(r)[0]!));
  }
  if (kind === 'INCOME') return changedKeys[0]!.length;
  const [households = [], members = []] = changedKeys;
  if (households.length === 0 && members.length === 0) return 0;
  const [row] = await tx.execute<{ changed: number }[]>(REGISTRY_ROWS_CHANGED_SQL, [
    jobId,
    arrayLiteral(households),
    arrayLiteral(members),
  ]);
  return row?.changed ?? 0;
}

/** Refreshes the planner's statistics of the registry's tables (after a bulk load). */
export async function analyzeRegistry(em: EntityManager): Promise<void> {
  await em.execute(
    'analyze "public_welfare"."household", "public_welfare"."household_member", "public_welfare"."income_declaration"',
  );
}

/** A Comune's mapping of header keys to columns for a kind of file. */
export async function loadHeaderMapping(
  em: EntityManager,
  comuneId: string,
  kind: ImportKind,
): Promise<{ header: string; column: string }[]> {
  return em.execute<{ header: string; column: string }[]>(
    `select "header_key" as "header", "column_name" as "column"
     from "public_welfare"."import_header_mapping"
     where "comune_id" = ? and "kind" = ? order by "header_key"`,
    [comuneId, kind],
  );
}

/** Replaces a Comune's mapping for a kind of file (on `tx`, one transaction). */
export async function replaceHeaderMapping(
  tx: EntityManager,
  comuneId: string,
  kind: ImportKind,
  entries: { header: string; column: string }[],
  updatedBy: string,
): Promise<void> {
  await tx.execute(
    `delete from "public_welfare"."import_header_mapping" where "comune_id" = ? and "kind" = ?`,
    [comuneId, kind],
  );
  if (entries.length === 0) return;
  await tx.execute(
    `insert into "public_welfare"."import_header_mapping"
       ("comune_id", "kind", "header_key", "column_name", "updated_by")
     select ?, ?, h, c, ? from unnest(?::text[], ?::text[]) as e(h, c)`,
    [
      comuneId,
      kind,
      updatedBy,
      arrayLiteral(entries.map((e) => e.header)),
      arrayLiteral(entries.map((e) => e.column)),
    ],
  );
}
