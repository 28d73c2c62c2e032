import { quoteSchema } from '../book/schema.js';

/**
 * The SQL of a subgraph's audit log, in its own schema: the `audit_event` table, the triggers that
 * number its rows and refuse UPDATE (but a row's one seal), DELETE and TRUNCATE, the
 * `audit_event_gap` table of the sequence numbers the sealer skipped, and the one-row
 * `audit_chain_check` table where the scheduled verification stores its latest result.
 *
 * Appending takes no lock: the BEFORE INSERT trigger sets `seq` (the next number of the
 * sequence; the column has no default, so each row takes one number) and `at` (the clock, to the
 * millisecond) and leaves `prev_hash` and `hash` NULL (unsealed), so concurrent
 * writers never wait for each other. The sealer (`AuditLog.seal`, run by `auditSealer`) then
 * chains the committed rows in `seq` order, under a transaction-level advisory lock named after
 * the table, setting each row's `prev_hash` and `hash` once; the UPDATE trigger refuses anything
 * else. The chain (the same since public-welfare's `audit_append_only`):
 * `hash = sha256(prev_hash | seq | tenant | actor | action | subject | at)`, with `at` in UTC to
 * the millisecond and an empty tenant for a platform-level event (NULL); the first row's
 * `prev_hash` is 64 zeros. `AuditLog.seal` computes it and `AuditLog.verifyChain` recomputes it
 * in Node. Changing the formula breaks every existing chain: never do.
 *
 * For WRITING a migration: print the statements once and paste them as literal strings (like the
 * book's SQL), so that a later change of the kit cannot rewrite a migration already applied.
 */
export function auditLogSql(schema: string, tenantColumn: string): string[] {
  return [
    ...auditTableSql(schema, tenantColumn),
    ...auditChainSql(schema, tenantColumn),
    ...auditGapSql(schema),
    ...auditCheckTableSql(schema),
  ];
}

const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

function quoteColumn(column: string): string {
  if (!COLUMN_NAME.test(column)) throw new Error(`Bad column name: ${column}`);
  return `"${column}"`;
}

/**
 * The table (`prev_hash` and `hash` NULL until the row is sealed): the tenant column is the organisation whose staff oversee the event (a Comune; the
 * organisation acted on in identity), NULL for a platform-level event (a login).
 */
function auditTableSql(schema: string, tenantColumn: string): string[] {
  const s = quoteSchema(schema);
  const tenant = quoteColumn(tenantColumn);
  return [
    `create table ${s}."audit_event" ("seq" bigserial primary key, ${tenant} uuid null, "actor" text not null, "action" text not null, "subject" text not null, "at" timestamptz not null default now(), "prev_hash" text null, "hash" text null)`,
    `create index "audit_event_${tenantColumn}_index" on ${s}."audit_event" (${tenant}, "seq")`,
  ];
}

/**
 * The numbering trigger (no lock), the seal-only UPDATE trigger and the refusals of DELETE and
 * TRUNCATE (idempotent: functions replaced, triggers re-created).
 */
function auditChainSql(schema: string, tenantColumn: string): string[] {
  const s = quoteSchema(schema);
  const tenant = quoteColumn(tenantColumn);
  return [
    // The trigger alone numbers the rows (one number each; a value given by a client is
    // overwritten): the column keeps its sequence, without a default.
    `alter table ${s}."audit_event" alter column "seq" drop default`,
    `create or replace function ${s}."audit_event_chain"() returns trigger
language plpgsql as $$
begin
  new."seq" := nextval(pg_get_serial_sequence('${s}."audit_event"', 'seq'));
  new."at" := date_trunc('milliseconds', clock_timestamp());
  new."prev_hash" := null;
  new."hash" := null;
  return new;
end $$`,
    `drop trigger if exists "audit_event_chain" on ${s}."audit_event"`,
    `create trigger "audit_event_chain" before insert on ${s}."audit_event"
for each row execute function ${s}."audit_event_chain"()`,
    `create or replace function ${s}."audit_event_refuse_change"() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$`,
    `create or replace function ${s}."audit_event_seal_only"() returns trigger
language plpgsql as $$
begin
  if old."prev_hash" is null and old."hash" is null
    and new."prev_hash" is not null and new."hash" is not null
    and (new."seq", new.${tenant}, new."actor", new."action", new."subject", new."at")
      is not distinct from (old."seq", old.${tenant}, old."actor", old."action", old."subject", old."at")
  then
    return new;
  end if;
  raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$`,
    `drop trigger if exists "audit_event_no_update_delete" on ${s}."audit_event"`,
    `drop trigger if exists "audit_event_no_delete" on ${s}."audit_event"`,
    `create trigger "audit_event_no_delete" before delete on ${s}."audit_event"
for each row execute function ${s}."audit_event_refuse_change"()`,
    `drop trigger if exists "audit_event_seal_only" on ${s}."audit_event"`,
    `create trigger "audit_event_seal_only" before update on ${s}."audit_event"
for each row execute function ${s}."audit_event_seal_only"()`,
    `drop trigger if exists "audit_event_no_truncate" on ${s}."audit_event"`,
    `create trigger "audit_event_no_truncate" before truncate on ${s}."audit_event"
for each statement execute function ${s}."audit_event_refuse_change"()`,
  ];
}

/**
 * The sequence numbers the sealer skipped: a number handed out to an insert that rolled back
 * (older than the grace period when sealed past). Append-only like the log.
 */
function auditGapSql(schema: string): string[] {
  const s = quoteSchema(schema);
  return [
    `create table if not exists ${s}."audit_event_gap" ("seq" bigint primary key, "skipped_at" timestamptz not null default now())`,
    `drop trigger if exists "audit_event_gap_append_only" on ${s}."audit_event_gap"`,
    `create trigger "audit_event_gap_append_only" before update or delete on ${s}."audit_event_gap"
for each row execute function ${s}."audit_event_refuse_change"()`,
    `drop trigger if exists "audit_event_gap_no_truncate" on ${s}."audit_event_gap"`,
    `create trigger "audit_event_gap_no_truncate" before truncate on ${s}."audit_event_gap"
for each statement execute function ${s}."audit_event_refuse_change"()`,
  ];
}

/** The latest verification of the chain: one row, replaced by each check. */
function auditCheckTableSql(schema: string): string[] {
  const s = quoteSchema(schema);
  return [
    `create table if not exists ${s}."audit_chain_check" ("id" boolean primary key default true check ("id"), "checked_at" timestamptz not null, "rows" bigint not null, "broken_at" bigint null, "unsealed_from" bigint null, "unsealed_rows" bigint not null default 0)`,
  ];
}
