import { Migration } from '@mikro-orm/migrations';

/**
 * The audit log moves to the kit (`@welfare/kit/audit`): what its `auditLogSql('public_welfare',
 * 'comune_id')` produced for the chain function and the check table, frozen. The chain function
 * now reads `coalesce(comune_id::text, '')` (the kit's, for logs whose tenant may be NULL): for
 * this table's rows, whose `comune_id` is never NULL, it is the same text as before, so every
 * existing hash still verifies; the triggers and the refusals are unchanged. Adds
 * `audit_chain_check`, the stored result of the scheduled verification.
 */
const AUDIT_SQL: readonly string[] = [
  `create or replace function "public_welfare"."audit_event_chain"() returns trigger
language plpgsql as $$
declare
  previous text;
begin
  perform pg_advisory_xact_lock(hashtext('public_welfare.audit_event'));
  new."seq" := nextval(pg_get_serial_sequence('"public_welfare"."audit_event"', 'seq'));
  select e."hash" into previous from "public_welfare"."audit_event" e order by e."seq" desc limit 1;
  new."prev_hash" := coalesce(previous, repeat('0', 64));
  new."at" := date_trunc('milliseconds', clock_timestamp());
  new."hash" := encode(sha256(convert_to(
    new."prev_hash" || '|' || new."seq"::text || '|' || coalesce(new."comune_id"::text, '') || '|' ||
    new."actor" || '|' || new."action" || '|' || new."subject" || '|' ||
    to_char(new."at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'UTF8')), 'hex');
  return new;
end $$`,
  `create table if not exists "public_welfare"."audit_chain_check" ("id" boolean primary key default true check ("id"), "checked_at" timestamptz not null, "rows" bigint not null, "broken_at" bigint null)`,
];

/** The chain function before the kit (Migration20261124091400_audit_append_only), for `down`. */
const CHAIN_BEFORE = `create or replace function "public_welfare"."audit_event_chain"() returns trigger
language plpgsql as $$
declare
  previous text;
begin
  perform pg_advisory_xact_lock(hashtext('public_welfare.audit_event'));
  new."seq" := nextval(pg_get_serial_sequence('"public_welfare"."audit_event"', 'seq'));
  select e."hash" into previous from "public_welfare"."audit_event" e order by e."seq" desc limit 1;
  new."prev_hash" := coalesce(previous, repeat('0', 64));
  new."at" := date_trunc('milliseconds', clock_timestamp());
  new."hash" := encode(sha256(convert_to(
    new."prev_hash" || '|' || new."seq"::text || '|' || new."comune_id"::text || '|' ||
    new."actor" || '|' || new."action" || '|' || new."subject" || '|' ||
    to_char(new."at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'UTF8')), 'hex');
  return new;
end $$`;

export class Migration20261206150000_audit_kit extends Migration {
  override up(): void {
    for (const statement of AUDIT_SQL) this.addSql(statement);
  }

  /** The chain function as it was (the same hashes for every row) and no stored check. */
  override down(): void {
    this.addSql(CHAIN_BEFORE);
    this.addSql(`drop table if exists "public_welfare"."audit_chain_check"`);
  }
}
