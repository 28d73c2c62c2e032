import { Migration } from '@mikro-orm/migrations';

/**
 * Written by hand (the CLI does not diff triggers): the audit log is hash-chained and
 * append-only. A BEFORE INSERT trigger takes a transaction-level advisory lock (so concurrent
 * inserts chain one after another), takes the next `seq` under that lock (so the chain order is
 * the `seq` order), reads the last hash and sets
 * `hash = sha256(prev_hash | seq | comune_id | actor | action | subject | at)`; BEFORE UPDATE,
 * DELETE and TRUNCATE triggers raise an error. `AuditService.verifyChain` recomputes the chain.
 */
export class Migration20261124091400_audit_append_only extends Migration {
  override up(): void {
    this.addSql(`create or replace function "public_welfare"."audit_event_chain"() returns trigger
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
end $$;`);
    this.addSql(`create trigger "audit_event_chain" before insert on "public_welfare"."audit_event"
for each row execute function "public_welfare"."audit_event_chain"();`);
    this
      .addSql(`create or replace function "public_welfare"."audit_event_refuse_change"() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;`);
    this
      .addSql(`create trigger "audit_event_no_update_delete" before update or delete on "public_welfare"."audit_event"
for each row execute function "public_welfare"."audit_event_refuse_change"();`);
    this
      .addSql(`create trigger "audit_event_no_truncate" before truncate on "public_welfare"."audit_event"
for each statement execute function "public_welfare"."audit_event_refuse_change"();`);
  }

  override down(): void {
    this.addSql(
      `drop trigger if exists "audit_event_no_truncate" on "public_welfare"."audit_event";`,
    );
    this.addSql(
      `drop trigger if exists "audit_event_no_update_delete" on "public_welfare"."audit_event";`,
    );
    this.addSql(`drop trigger if exists "audit_event_chain" on "public_welfare"."audit_event";`);
    this.addSql(`drop function if exists "public_welfare"."audit_event_refuse_change"();`);
    this.addSql(`drop function if exists "public_welfare"."audit_event_chain"();`);
  }
}
