import type { EntityManager } from '@mikro-orm/postgresql';

/* The audit log's statements: the database computes the hash chain (a trigger). */

/** An audit row as the chain check reads it (`at_text`: `at` in UTC, ISO 8601 with milliseconds). */
interface AuditChainRow {
  seq: string;
  comune_id: string;
  actor: string;
  action: string;
  subject: string;
  at_text: string;
  prev_hash: string;
  hash: string;
}

/** Inserts one audit event (the trigger fills its hashes) in the EntityManager's transaction, if any. */
export async function insertAuditEvent(
  em: EntityManager,
  comuneId: string,
  actor: string,
  action: string,
  subject: string,
): Promise<void> {
  await em.execute(
    'insert into "public_welfare"."audit_event" ("comune_id", "actor", "action", "subject", "prev_hash", "hash") values (?, ?, ?, ?, \'\', \'\')',
    [comuneId, actor, action, subject],
  );
}

/** The whole audit log in chain order. */
export function auditChainRows(em: EntityManager): Promise<AuditChainRow[]> {
  return em.execute<AuditChainRow[]>(
    `select "seq", "comune_id", "actor", "action", "subject", "prev_hash", "hash",
       to_char("at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "at_text"
     from "public_welfare"."audit_event" order by "seq"`,
  );
}
