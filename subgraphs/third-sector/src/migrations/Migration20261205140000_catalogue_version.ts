import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';
const TABLES = ['offer', 'offer_place', 'offer_schedule_slot', 'accreditation_request'];

/**
 * The catalogue's version: one row, incremented by every statement that writes an offer, its
 * places or schedule, or an accreditation. The increment commits with the write (a row update,
 * not a sequence), so a search that reads the version before its query never caches an older
 * catalogue under a newer version; the catalogue service keys its result cache on it.
 */
export class Migration20261205140000_catalogue_version extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."catalogue_version" ("id" boolean not null default true, "version" bigint not null default 1, constraint "catalogue_version_pkey" primary key ("id"), constraint "catalogue_version_one_row" check ("id"));`,
    );
    this.addSql(`insert into ${S}."catalogue_version" ("id", "version") values (true, 1);`);
    this.addSql(`create or replace function ${S}."catalogue_version_bump"() returns trigger
language plpgsql as $$
begin
  update ${S}."catalogue_version" set "version" = "version" + 1 where "id";
  return null;
end $$;`);
    for (const table of TABLES) {
      this.addSql(
        `create trigger "${table}_catalogue_version" after insert or update or delete on ${S}."${table}" for each statement execute function ${S}."catalogue_version_bump"();`,
      );
    }
  }

  override down(): void {
    for (const table of TABLES) {
      this.addSql(`drop trigger if exists "${table}_catalogue_version" on ${S}."${table}";`);
    }
    this.addSql(`drop function if exists ${S}."catalogue_version_bump"();`);
    this.addSql(`drop table if exists ${S}."catalogue_version";`);
  }
}
