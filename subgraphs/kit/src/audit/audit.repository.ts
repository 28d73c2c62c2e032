import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '../book/book.js';
import { quoteSchema } from '../book/schema.js';
import type { AuditLogOptions, ChainStatus } from './audit-log.js';

/* The audit log's statements: the database numbers the rows, the sealer chains them. */

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

/** What the hash covers (`at_text`: `at` in UTC, ISO 8601 with milliseconds). */
export interface ChainContent {
  seq: string;
  tenant: string | null;
  actor: string;
  action: string;
  subject: string;
  at_text: string;
}

/**
 * A row as the chain check reads it: NULL hashes when unsealed; `prev_seq` the `seq` of the row
 * before it (`afterSeq` for the first of a batch), `gaps` the skipped numbers recorded between.
 */
interface ChainRow extends ChainContent {
  prev_hash: string | null;
  hash: string | null;
  prev_seq: string;
  gaps: string;
}

/** An unsealed row as the sealer reads it: `settled` when older than the grace period. */
interface UnsealedRow extends ChainContent {
  settled: boolean;
}

/** The content columns of the chain, `at` as the hash covers it. */
function contentColumns(options: AuditLogOptions, alias: string): string {
  return `${alias}."seq", ${alias}.${tenant(options)}::text as "tenant", ${alias}."actor", ${alias}."action", ${alias}."subject",
       to_char(${alias}."at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "at_text"`;
}

function table(options: AuditLogOptions): string {
  return `${quoteSchema(options.schema)}."audit_event"`;
}

function tenant(options: AuditLogOptions): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.tenantColumn)) throw new Error('Bad tenant column');
  return `"${options.tenantColumn}"`;
}

/**
 * Inserts one event, unsealed (the trigger sets `seq` and `at`; no lock): in the EntityManager's transaction, if any,
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
  const sql = `insert into ${table(options)} (${tenant(options)}, "actor", "action", "subject") values (?, ?, ?, ?)`;
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

/**
 * Up to `limit` rows after `afterSeq`, in `seq` order, sealed or not, each with the recorded gaps
 * between it and the row before it.
 */
export function readChainBatch(
  em: EntityManager,
  options: AuditLogOptions,
  afterSeq: string,
  limit: number,
): Promise<ChainRow[]> {
  return em.execute<ChainRow[]>(
    `select b."seq"::text as "seq", b."tenant", b."actor", b."action", b."subject", b."at_text",
       b."prev_hash", b."hash", b."prev_seq"::text as "prev_seq",
       (select count(*) from ${gapTable(options)} g
         where g."seq" > b."prev_seq" and g."seq" < b."seq")::text as "gaps"
     from (select ${contentColumns(options, 'e')}, e."prev_hash", e."hash",
             coalesce(lag(e."seq") over (order by e."seq"), ?::bigint) as "prev_seq"
           from ${table(options)} e where e."seq" > ?::bigint order by e."seq" limit ?) b
     order by b."seq"`,
    [afterSeq, afterSeq, limit],
  );
}

function gapTable(options: AuditLogOptions): string {
  return `${quoteSchema(options.schema)}."audit_event_gap"`;
}

/**
 * Takes the chain's transaction-level advisory lock if free (one sealer at a time, whichever the
 * process); false when another holds it.
 */
export async function tryLockChain(em: EntityManager, options: AuditLogOptions): Promise<boolean> {
  const [row] = await em.execute<{ locked: boolean }[]>(
    `select pg_try_advisory_xact_lock(hashtext(?)) as "locked"`,
    [`${options.schema}.audit_event`],
  );
  return row?.locked === true;
}

/** The last sealed row (`seq`, `hash`), null before the first seal. */
export async function readLastSealed(
  em: EntityManager,
  options: AuditLogOptions,
): Promise<{ seq: string; hash: string } | null> {
  const [row] = await em.execute<{ seq: string; hash: string }[]>(
    `select e."seq"::text as "seq", e."hash" from ${table(options)} e
     where e."hash" is not null order by e."seq" desc limit 1`,
  );
  return row ?? null;
}

/** Up to `limit` unsealed rows after `afterSeq`, in `seq` order (committed ones only). */
export function readUnsealed(
  em: EntityManager,
  options: AuditLogOptions,
  afterSeq: string,
  graceMs: number,
  limit: number,
): Promise<UnsealedRow[]> {
  return em.execute<UnsealedRow[]>(
    `select ${contentColumns(options, 'e')},
       e."at" < clock_timestamp() - ?::bigint * interval '1 millisecond' as "settled"
     from ${table(options)} e
     where e."seq" > ?::bigint and e."hash" is null order by e."seq" limit ?`,
    [graceMs, afterSeq, limit],
  );
}

/**
 * Seals rows (`prev_hash`, `hash` set once: the trigger refuses any other change) and records
 * the skipped numbers, in the caller's transaction. Throws unless every row was sealed.
 */
export async function writeSeals(
  em: EntityManager,
  options: AuditLogOptions,
  seals: { seq: string; prevHash: string; hash: string }[],
  gaps: string[],
): Promise<void> {
  if (gaps.length) {
    await em.execute(
      `insert into ${gapTable(options)} ("seq") select unnest(?::bigint[]) on conflict do nothing`,
      [arrayLiteral(gaps)],
    );
  }
  if (!seals.length) return;
  const updated = await em.execute<{ seq: string }[]>(
    `update ${table(options)} e set "prev_hash" = s."prev_hash", "hash" = s."hash"
     from unnest(?::bigint[], ?::text[], ?::text[]) as s("seq", "prev_hash", "hash")
     where e."seq" = s."seq" and e."hash" is null
     returning e."seq"`,
    [
      arrayLiteral(seals.map((r) => r.seq)),
      arrayLiteral(seals.map((r) => r.prevHash)),
      arrayLiteral(seals.map((r) => r.hash)),
    ],
  );
  if (updated.length !== seals.length) {
    throw new Error(`audit: sealed ${updated.length} rows of ${seals.length}`);
  }
}

/** Unsealed rows older than `limitMs`: how many and the lowest `seq` (null: none). */
export async function readStaleUnsealed(
  em: EntityManager,
  options: AuditLogOptions,
  limitMs: number,
): Promise<{ from: number | null; rows: number }> {
  const [row] = await em.execute<{ from: string | null; rows: string }[]>(
    `select min("seq")::text as "from", count(*)::text as "rows" from ${table(options)}
     where "hash" is null and "at" < clock_timestamp() - ?::bigint * interval '1 millisecond'`,
    [limitMs],
  );
  return {
    from: row?.from == null ? null : Number(row.from),
    rows: Number(row?.rows ?? 0),
  };
}

/** Replaces the stored result of the chain's verification. */
export async function storeChainCheck(
  em: EntityManager,
  options: AuditLogOptions,
  status: ChainStatus,
): Promise<void> {
  await em.execute(
    `insert into ${quoteSchema(options.schema)}."audit_chain_check"
       ("id", "checked_at", "rows", "broken_at", "unsealed_from", "unsealed_rows")
     values (true, ?, ?, ?, ?, ?)
     on conflict ("id") do update set "checked_at" = excluded."checked_at",
       "rows" = excluded."rows", "broken_at" = excluded."broken_at",
       "unsealed_from" = excluded."unsealed_from", "unsealed_rows" = excluded."unsealed_rows"`,
    [status.checkedAt, status.rows, status.brokenAt, status.unsealedFrom, status.unsealedRows],
  );
}

/** The stored result of the chain's verification, null before the first. */
export async function readChainCheck(
  em: EntityManager,
  options: AuditLogOptions,
): Promise<ChainStatus | null> {
  const rows = await em.execute<
    {
      checked_at: string | Date;
      rows: string;
      broken_at: string | null;
      unsealed_from: string | null;
      unsealed_rows: string;
    }[]
  >(
    `select "checked_at", "rows", "broken_at", "unsealed_from", "unsealed_rows" from ${quoteSchema(options.schema)}."audit_chain_check" where "id"`,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    checkedAt: new Date(row.checked_at),
    rows: Number(row.rows),
    brokenAt: row.broken_at === null ? null : Number(row.broken_at),
    unsealedFrom: row.unsealed_from === null ? null : Number(row.unsealed_from),
    unsealedRows: Number(row.unsealed_rows),
  };
}
