import { Migration } from '@mikro-orm/migrations';

/**
 * The audit sealer: appending an audit row takes no lock any more (the old chain trigger held the
 * table's advisory lock until COMMIT, serialising every audited transaction, the POS payment
 * among them). What the kit's `auditLogSql('third_sector', 'organisation_id')` produced for the trigger
 * functions, triggers and the gap table when this migration was written, frozen: the insert
 * trigger only numbers the row (`seq`, one number each: the column loses its default) and sets
 * `at`, leaving `prev_hash`/`hash` NULL (now nullable); an UPDATE may only seal an unsealed row
 * once (the kit's sealer); DELETE and TRUNCATE are refused as before. `audit_event_gap` records
 * the numbers the sealer skips; the numbers already missing below the last row (inserts rolled
 * back under the old trigger, and the column default's numbers the old trigger overwrote) are
 * recorded here, so that the verification accepts them. The hash formula is unchanged: every
 * existing hash still verifies. `audit_chain_check` gains the unsealed-rows alert.
 */
const UP: readonly string[] = [
  `alter table "third_sector"."audit_event" alter column "prev_hash" drop not null, alter column "hash" drop not null`,
  `alter table "third_sector"."audit_event" alter column "seq" drop default`,
  `create or replace function "third_sector"."audit_event_chain"() returns trigger
language plpgsql as $$
begin
  new."seq" := nextval(pg_get_serial_sequence('"third_sector"."audit_event"', 'seq'));
  new."at" := date_trunc('milliseconds', clock_timestamp());
  new."prev_hash" := null;
  new."hash" := null;
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
  `create or replace function "third_sector"."audit_event_seal_only"() returns trigger
language plpgsql as $$
begin
  if old."prev_hash" is null and old."hash" is null
    and new."prev_hash" is not null and new."hash" is not null
    and (new."seq", new."organisation_id", new."actor", new."action", new."subject", new."at")
      is not distinct from (old."seq", old."organisation_id", old."actor", old."action", old."subject", old."at")
  then
    return new;
  end if;
  raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$`,
  `drop trigger if exists "audit_event_no_update_delete" on "third_sector"."audit_event"`,
  `drop trigger if exists "audit_event_no_delete" on "third_sector"."audit_event"`,
  `create trigger "audit_event_no_delete" before delete on "third_sector"."audit_event"
for each row execute function "third_sector"."audit_event_refuse_change"()`,
  `drop trigger if exists "audit_event_seal_only" on "third_sector"."audit_event"`,
  `create trigger "audit_event_seal_only" before update on "third_sector"."audit_event"
for each row execute function "third_sector"."audit_event_seal_only"()`,
  `drop trigger if exists "audit_event_no_truncate" on "third_sector"."audit_event"`,
  `create trigger "audit_event_no_truncate" before truncate on "third_sector"."audit_event"
for each statement execute function "third_sector"."audit_event_refuse_change"()`,
  `create table if not exists "third_sector"."audit_event_gap" ("seq" bigint primary key, "skipped_at" timestamptz not null default now())`,
  `drop trigger if exists "audit_event_gap_append_only" on "third_sector"."audit_event_gap"`,
  `create trigger "audit_event_gap_append_only" before update or delete on "third_sector"."audit_event_gap"
for each row execute function "third_sector"."audit_event_refuse_change"()`,
  `drop trigger if exists "audit_event_gap_no_truncate" on "third_sector"."audit_event_gap"`,
  `create trigger "audit_event_gap_no_truncate" before truncate on "third_sector"."audit_event_gap"
for each statement execute function "third_sector"."audit_event_refuse_change"()`,
  `insert into "third_sector"."audit_event_gap" ("seq")
select n from generate_series(1, (select coalesce(max("seq"), 0) from "third_sector"."audit_event")) as n
where not exists (select 1 from "third_sector"."audit_event" e where e."seq" = n)`,
  `alter table "third_sector"."audit_chain_check" add column if not exists "unsealed_from" bigint null, add column if not exists "unsealed_rows" bigint not null default 0`,
];

/**
 * Back to the old chain trigger (with its lock): the rows still unsealed are first sealed in
 * `seq` order with the same formula, so that `prev_hash`/`hash` can be NOT NULL again.
 */
const DOWN: readonly string[] = [
  `do $$
declare
  r record;
  previous text;
begin
  for r in select e."seq", e."organisation_id"::text as "tenant", e."actor", e."action", e."subject", e."at"
    from "third_sector"."audit_event" e where e."hash" is null order by e."seq"
  loop
    select e."hash" into previous from "third_sector"."audit_event" e
      where e."hash" is not null order by e."seq" desc limit 1;
    previous := coalesce(previous, repeat('0', 64));
    update "third_sector"."audit_event" set "prev_hash" = previous, "hash" = encode(sha256(convert_to(
    previous || '|' || r."seq"::text || '|' || coalesce(r."tenant", '') || '|' ||
    r."actor" || '|' || r."action" || '|' || r."subject" || '|' ||
    to_char(r."at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'UTF8')), 'hex')
    where "seq" = r."seq";
  end loop;
end $$`,
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
  `alter table "third_sector"."audit_event" alter column "seq" set default nextval('"third_sector"."audit_event_seq_seq"'::regclass)`,
  `drop trigger if exists "audit_event_seal_only" on "third_sector"."audit_event"`,
  `drop trigger if exists "audit_event_no_delete" on "third_sector"."audit_event"`,
  `drop function if exists "third_sector"."audit_event_seal_only"()`,
  `create trigger "audit_event_no_update_delete" before update or delete on "third_sector"."audit_event"
for each row execute function "third_sector"."audit_event_refuse_change"()`,
  `drop table if exists "third_sector"."audit_event_gap"`,
  `alter table "third_sector"."audit_chain_check" drop column if exists "unsealed_from", drop column if exists "unsealed_rows"`,
  `alter table "third_sector"."audit_event" alter column "prev_hash" set not null, alter column "hash" set not null`,
];

export class Migration20261206190000_audit_sealer extends Migration {
  override up(): void {
    for (const statement of UP) this.addSql(statement);
  }

  override down(): void {
    for (const statement of DOWN) this.addSql(statement);
  }
}
