import { Migration } from '@mikro-orm/migrations';

/**
 * What the kit's `auditLogSql('third_sector', 'organisation_id')` produced when this migration
 * was written, frozen: the third sector's own append-only, hash-chained audit log (`audit_event`,
 * its chain trigger and refusals of UPDATE, DELETE and TRUNCATE) and the stored result of its
 * scheduled verification (`audit_chain_check`). `organisation_id`: the Comune whose staff
 * oversee the event (the Comune of the accreditation or of the offer).
 */
const AUDIT_SQL: readonly string[] = [
  `create table "third_sector"."audit_event" ("seq" bigserial primary key, "organisation_id" uuid null, "actor" text not null, "action" text not null, "subject" text not null, "at" timestamptz not null default now(), "prev_hash" text not null, "hash" text not null)`,
  `create index "audit_event_organisation_id_index" on "third_sector"."audit_event" ("organisation_id", "seq")`,
  `create or replace function "third_sector"."audit_event_chain"() returns trigger
language plpgsql as $$
declare
  previous text;
begin
  perform pg_advisory_xact_lock(hashtext('third_sector.audit_event'));
  new."seq" := nextval(pg_get_serial_sequence('"third_sector"."audit_event"', 'seq'));
  select e."hash" into previous from "third_sector"."audit_event" e order by e."seq" desc limit 1;
  new."prev_hash" := coalesce(previous, repeat('0', 64));
  new."at" := date_trunc('milliseconds', clock_timestamp());
  new."hash" := encode(sha256(convert_to(
    new."prev_hash" || '|' || new."seq"::text || '|' || coalesce(new."organisation_id"::text, '') || '|' ||
    new."actor" || '|' || new."action" || '|' || new."subject" || '|' ||
    to_char(new."at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'UTF8')), 'hex');
  return new;
end $$`,
  `drop trigger if exists "audit_event_chain" on "third_sector"."audit_event"`,
  `create trigger "audit_event_chain" before insert on "third_sector"."audit_event"
for each row execute function "third_sector"."audit_event_chain"()`,
  `create or replace function "third_sector"."audit_event_refuse_change"() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$`,
  `drop trigger if exists "audit_event_no_update_delete" on "third_sector"."audit_event"`,
  `create trigger "audit_event_no_update_delete" before update or delete on "third_sector"."audit_event"
for each row execute function "third_sector"."audit_event_refuse_change"()`,
  `drop trigger if exists "audit_event_no_truncate" on "third_sector"."audit_event"`,
  `create trigger "audit_event_no_truncate" before truncate on "third_sector"."audit_event"
for each statement execute function "third_sector"."audit_event_refuse_change"()`,
  `create table if not exists "third_sector"."audit_chain_check" ("id" boolean primary key default true check ("id"), "checked_at" timestamptz not null, "rows" bigint not null, "broken_at" bigint null)`,
];

export class Migration20261206150000_audit_log extends Migration {
  override up(): void {
    for (const statement of AUDIT_SQL) this.addSql(statement);
  }
}
