import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';

/**
 * A Comune's own synonym groups for its catalogue's search (added to the built-in Italian list
 * of `catalogue.words.ts`): each row a set of words or short phrases searched as alternatives of
 * each other. A write bumps the catalogue's version, so the next search uses it.
 */
export class Migration20261208020000_catalogue_synonym extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."catalogue_synonym" ("id" uuid not null default gen_random_uuid(), "comune_id" uuid not null, "words" text[] not null, "created_by" uuid not null, "created_at" timestamptz not null default now(), constraint "catalogue_synonym_pkey" primary key ("id"), constraint "catalogue_synonym_words_check" check (cardinality("words") between 2 and 10));`,
    );
    this.addSql(
      `create index "catalogue_synonym_comune_id_index" on ${S}."catalogue_synonym" ("comune_id");`,
    );
    this.addSql(
      `create trigger "catalogue_synonym_catalogue_version" after insert or update or delete on ${S}."catalogue_synonym" for each statement execute function ${S}."catalogue_version_bump"();`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."catalogue_synonym";`);
  }
}
