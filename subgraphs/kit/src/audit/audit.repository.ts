import type { EntityManager } from '@mikro-orm/postgresql';
import { quoteSchema } from '../book/schema.js';
import type { AuditLogOptions, ChainStatus } from './audit-log.js';

/* The audit log's statements: the database computes the hash chain (a trigger). */

/** What a reader filters on (every condition optional). */
export interface AuditEventFilter {
  /** Events at or after. */
  from?: Date | null;
  /** Events at or before. */
  to?: Date | null;
  /** Exact action, e.g. `PAYMENT`. */
  action?: string | null;
  /** Exact actor, e.g. `person:<id>`. */
  actor?: string | null;
  /** Exact subject, e.g. `card:<id>`. */
  subject?: string | null;
}

/** A row as the reader gets it. */
export interface AuditRow {
  seq: string;
  tenant: string | null;
  actor: string;
  action: string;
  subject: string;
  at: string | Date;
}

/** A row as the chain check reads it (`at_text`: `at` in UTC, ISO 8601 with milliseconds). */
interface ChainRow {
  seq: string;
  tenant: string | null;
  actor: string;
  action: string;
  subject: string;
  at_text: string;
  prev_hash: string;
  hash: string;
}

function table(options: AuditLogOptions): string {
  return `${quoteSchema(options.schema)}."audit_event"`;
}

function tenant(options: AuditLogOptions): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.tenantColumn)) throw new Error('Bad tenant column');
  return `"${options.tenantColumn}"`;
}

/**
 * Inserts one event (the trigger fills its hashes): in the EntityManager's transaction, if any,
 * or, with `outsideTransaction`, on a connection of its own (autocommit).
 */
export async function insertAuditEvent(
  em: EntityManager,
  options: AuditLogOptions,
  organisationId: string | null,
  actor: string,
  action: string,
  subject: string,
  how: { outsideTransaction?: boolean } = {},
): Promise<void> {
  const sql = `insert into ${table(options)} (${tenant(options)}, "actor", "action", "subject", "prev_hash", "hash") values (?, ?, ?, ?, '', '')`;
  const params = [organisationId, actor, action, subject];
  if (how.outsideTransaction) await em.getConnection().execute(sql, params);
  else await em.execute(sql, params);
}

/** Events newest first (`before`: a `seq` cursor, exclusive). */
export function readAuditEvents(
  em: EntityManager,
  options: AuditLogOptions,
  filter: AuditEventFilter & {
    organisationId: string | null;
    before: string | null;
    limit: number;
  },
): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    where.push(condition);
    params.push(value);
  };
  if (filter.organisationId !== null) add(`${tenant(options)} = ?`, filter.organisationId);
  if (filter.before !== null) add(`"seq" < ?`, filter.before);
  if (filter.from) add(`"at" >= ?`, filter.from);
  if (filter.to) add(`"at" <= ?`, filter.to);
  if (filter.action) add(`"action" = ?`, filter.action);
  if (filter.actor) add(`"actor" = ?`, filter.actor);
  if (filter.subject) add(`"subject" = ?`, filter.subject);
  params.push(filter.limit);
  return em.execute<AuditRow[]>(
    `select "seq", ${tenant(options)} as "tenant", "actor", "action", "subject", "at"
     from ${table(options)}
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by "seq" desc limit ?`,
    params,
  );
}

/** Up to `limit` rows after `afterSeq`, in chain order. */
export function readChainBatch(
  em: EntityManager,
  options: AuditLogOptions,
  afterSeq: string,
  limit: number,
): Promise<ChainRow[]> {
  return em.execute<ChainRow[]>(
    `select "seq", ${tenant(options)}::text as "tenant", "actor", "action", "subject", "prev_hash", "hash",
       to_char("at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "at_text"
     from ${table(options)} where "seq" > ? order by "seq" limit ?`,
    [afterSeq, limit],
  );
}

/** Replaces the stored result of the chain's verification. */
export async function storeChainCheck(
  em: EntityManager,
  options: AuditLogOptions,
  status: ChainStatus,
): Promise<void> {
  await em.execute(
    `insert into ${quoteSchema(options.schema)}."audit_chain_check" ("id", "checked_at", "rows", "broken_at")
     values (true, ?, ?, ?)
     on conflict ("id") do update set "checked_at" = excluded."checked_at",
       "rows" = excluded."rows", "broken_at" = excluded."broken_at"`,
    [status.checkedAt, status.rows, status.brokenAt],
  );
}

/** The stored result of the chain's verification, null before the first. */
export async function readChainCheck(
  em: EntityManager,
  options: AuditLogOptions,
): Promise<ChainStatus | null> {
  const rows = await em.execute<
    { checked_at: string | Date; rows: string; broken_at: string | null }[]
  >(
    `select "checked_at", "rows", "broken_at" from ${quoteSchema(options.schema)}."audit_chain_check" where "id"`,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    checkedAt: new Date(row.checked_at),
    rows: Number(row.rows),
    brokenAt: row.broken_at === null ? null : Number(row.broken_at),
  };
}
