import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';
/** The tables whose rows are (parts of) one offer, and the column naming it. */
const OFFER_TABLES = [
  ['offer', 'id'],
  ['offer_place', 'offer_id'],
  ['offer_schedule_slot', 'offer_id'],
] as const;
/** The tables read whole by every refresh of the index: their writes only bump the version. */
const WHOLE_TABLES = ['accreditation_request', 'catalogue_synonym'];

/**
 * The catalogue's change log, so that the in-memory index (`CatalogueIndex`) refreshes with the
 * offers changed since its version instead of reloading the whole catalogue:
 * `catalogue_change (version, offer_id)` gets, for every statement writing offers, their places
 * or schedule, the new version and the ids of the offers the statement touched (from the
 * statement's transition tables), in the same transaction as the version's increment (the
 * version row's lock orders them by commit). A statement touching no row changes nothing.
 * Accreditations and synonyms, small and read whole by every refresh, only bump the version.
 * `catalogue_version_bump()` (the generic trigger function, for any other table that changes the
 * catalogue) now also logs a row without an offer: the index reloads the whole catalogue.
 * `catalogue_version.log_from`: the log holds every change after this version (the rows before
 * it are pruned); an index older than it reloads the whole catalogue.
 */
export class Migration20261209020000_catalogue_change extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."catalogue_change" ("version" bigint not null, "offer_id" uuid null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(
      `create index "catalogue_change_version_index" on ${S}."catalogue_change" ("version");`,
    );
    this.addSql(
      `alter table ${S}."catalogue_version" add column "log_from" bigint not null default 0;`,
    );
    this.addSql(`update ${S}."catalogue_version" set "log_from" = "version";`);
    this.addSql(`create or replace function ${S}."catalogue_version_bump"() returns trigger
language plpgsql as $$
declare v bigint;
begin
  update ${S}."catalogue_version" set "version" = "version" + 1 where "id" returning "version" into v;
  insert into ${S}."catalogue_change" ("version", "offer_id") values (v, null);
  return null;
end $$;`);
    this.addSql(`create or replace function ${S}."catalogue_version_touch"() returns trigger
language plpgsql as $$
begin
  update ${S}."catalogue_version" set "version" = "version" + 1 where "id";
  return null;
end $$;`);
    for (const [table, column] of OFFER_TABLES) {
      const rows = (set: string) => `select "${column}" from ${set}`;
      this.addSql(`create or replace function ${S}."${table}_catalogue_change"() returns trigger
language plpgsql as $$
declare v bigint;
begin
  if tg_op = 'INSERT' then
    if not exists (select from new_rows) then return null; end if;
  elsif tg_op = 'DELETE' then
    if not exists (select from old_rows) then return null; end if;
  elsif not exists (select from new_rows) then
    return null;
  end if;
  update ${S}."catalogue_version" set "version" = "version" + 1 where "id" returning "version" into v;
  if tg_op = 'INSERT' then
    insert into ${S}."catalogue_change" ("version", "offer_id") select distinct v, x."${column}" from new_rows x;
  elsif tg_op = 'DELETE' then
    insert into ${S}."catalogue_change" ("version", "offer_id") select distinct v, x."${column}" from old_rows x;
  else
    insert into ${S}."catalogue_change" ("version", "offer_id")
      select v, x."${column}" from (${rows('new_rows')} union ${rows('old_rows')}) x;
  end if;
  return null;
end $$;`);
      this.addSql(`drop trigger if exists "${table}_catalogue_version" on ${S}."${table}";`);
      for (const [event, referencing] of [
        ['insert', 'new table as new_rows'],
        ['update', 'old table as old_rows new table as new_rows'],
        ['delete', 'old table as old_rows'],
      ] as const) {
        this.addSql(
          `create trigger "${table}_catalogue_${event}" after ${event} on ${S}."${table}" referencing ${referencing} for each statement execute function ${S}."${table}_catalogue_change"();`,
        );
      }
    }
    for (const table of WHOLE_TABLES) {
      this.addSql(`drop trigger if exists "${table}_catalogue_version" on ${S}."${table}";`);
      this.addSql(
        `create trigger "${table}_catalogue_version" after insert or update or delete on ${S}."${table}" for each statement execute function ${S}."catalogue_version_touch"();`,
      );
    }
  }

  override down(): void {
    for (const table of WHOLE_TABLES) {
      this.addSql(`drop trigger if exists "${table}_catalogue_version" on ${S}."${table}";`);
      this.addSql(
        `create trigger "${table}_catalogue_version" after insert or update or delete on ${S}."${table}" for each statement execute function ${S}."catalogue_version_bump"();`,
      );
    }
    for (const [table] of OFFER_TABLES) {
      for (const event of ['insert', 'update', 'delete']) {
        this.addSql(`drop trigger if exists "${table}_catalogue_${event}" on ${S}."${table}";`);
      }
      this.addSql(`drop function if exists ${S}."${table}_catalogue_change"();`);
      this.addSql(
        `create trigger "${table}_catalogue_version" after insert or update or delete on ${S}."${table}" for each statement execute function ${S}."catalogue_version_bump"();`,
      );
    }
    this.addSql(`drop function if exists ${S}."catalogue_version_touch"();`);
    this.addSql(`create or replace function ${S}."catalogue_version_bump"() returns trigger
language plpgsql as $$
begin
  update ${S}."catalogue_version" set "version" = "version" + 1 where "id";
  return null;
end $$;`);
    this.addSql(`alter table ${S}."catalogue_version" drop column "log_from";`);
    this.addSql(`drop table if exists ${S}."catalogue_change";`);
  }
}
