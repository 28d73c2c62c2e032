import { quoteSchema } from '../book/schema.js';

/**
 * The SQL of a subgraph's audit log, in its own schema: the `audit_event` table, the trigger that
 * chains it and refuses UPDATE, DELETE and TRUNCATE, and the one-row `audit_chain_check` table
 * where the scheduled verification stores its latest result.
 *
 * The chain (the same since public-welfare's `audit_append_only`): a BEFORE INSERT trigger takes a
 * transaction-level advisory lock named after the table (so concurrent inserts chain one after
 * another and commit in `seq` order), takes the next `seq` under that lock, reads the last hash and
 * sets `hash = sha256(prev_hash | seq | tenant | actor | action | subject | at)`, with `at` in UTC
 * to the millisecond and an empty tenant for a platform-level event (NULL). `AuditLog.verifyChain`
 * recomputes the same formula in Node. Changing the formula breaks every existing chain: never do.
 *
 * For WRITING a migration: print the statements once and paste them as literal strings (like the
 * book's SQL), so that a later change of the kit cannot rewrite a migration already applied.
 */
export function auditLogSql(schema: string, tenantColumn: string): string[] {
  return [
    ...auditTableSql(schema, tenantColumn),
    ...auditChainSql(schema, tenantColumn),
    ...auditCheckTableSql(schema),
  ];
}

const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

function quoteColumn(column: string): string {
  if (!COLUMN_NAME.test(column)) throw new Error(`Bad column name: ${column}`);
  return `"${column}"`;
}

/**
 * The table: the tenant column is the organisation whose staff oversee the event (a Comune; the
 * organisation acted on in identity), NULL for a platform-level event (a login).
 */
function auditTableSql(schema: string, tenantColumn: string): string[] {
  const s = quoteSchema(schema);
  const tenant = quoteColumn(tenantColumn);
  return [
    `create table ${s}."audit_event" ("seq" bigserial primary key, ${tenant} uuid null, "actor" text not null, "action" text not null, "subject" text not null, "at" timestamptz not null default now(), "prev_hash" text not null, "hash" text not null)`,
    `create index "audit_event_${tenantColumn}_index" on ${s}."audit_event" (${tenant}, "seq")`,
  ];
}

/** The chain trigger and the refusals (idempotent: functions replaced, triggers re-created). */
function auditChainSql(schema: string, tenantColumn: string): string[] {
  const s = quoteSchema(schema);
  const tenant = quoteColumn(tenantColumn);
  return [
    `create or replace function ${s}."audit_event_chain"() returns trigger
language plpgsql as $$
declare
  previous text;
begin
  perform pg_advisory_xact_lock(hashtext('${schema}.audit_event'));
  new."seq" := nextval(pg_get_serial_sequence('${s}."audit_event"', 'seq'));
  select e."hash" into previous from ${s}."audit_event" e order by e."seq" desc limit 1;
  new."prev_hash" := coalesce(previous, repeat('0', 64));
  new."at" := date_trunc('milliseconds', clock_timestamp());
  new."hash" := encode(sha256(convert_to(
    new."prev_hash" || '|' || new."seq"::text || '|' || coalesce(new.${tenant}::text, '') || '|' ||
    new."actor" || '|' || new."action" || '|' || new."subject" || '|' ||
    to_char(new."at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'UTF8')), 'hex');
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
    `drop trigger if exists "audit_event_no_update_delete" on ${s}."audit_event"`,
    `create trigger "audit_event_no_update_delete" before update or delete on ${s}."audit_event"
for each row execute function ${s}."audit_event_refuse_change"()`,
    `drop trigger if exists "audit_event_no_truncate" on ${s}."audit_event"`,
    `create trigger "audit_event_no_truncate" before truncate on ${s}."audit_event"
for each statement execute function ${s}."audit_event_refuse_change"()`,
  ];
}

/** The latest verification of the chain: one row, replaced by each check. */
function auditCheckTableSql(schema: string): string[] {
  const s = quoteSchema(schema);
  return [
    `create table if not exists ${s}."audit_chain_check" ("id" boolean primary key default true check ("id"), "checked_at" timestamptz not null, "rows" bigint not null, "broken_at" bigint null)`,
  ];
}
