import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * The household file, what was left (issue 19, item 2). Hand-written.
 *
 * - `fold_name(text)`: a name folded for searching: decomposed (NFD), lower case, without
 *   combining accents nor apostrophes (registry exports write `NICOLO'` for `Nicolò`), so
 *   "Nicolo", "NICOLÒ" and "nicolo'" are one spelling. Built-in functions only (no `unaccent`
 *   extension to install where the platform runs); IMMUTABLE, so a stored column can use it.
 * - `household_member.family_name_folded`: the family name folded, stored (generated), indexed
 *   per Comune for prefix searches (`text_pattern_ops`); it replaces the index on
 *   `lower(family_name)`.
 * - `income_declaration.validity_year`: the year of `valid_until` (generated). A declaration is
 *   keyed by Comune, declarant and validity year: a new year's import adds a row and the past ones
 *   stay (the ISEE history); an import of the same year replaces that year's declaration.
 * - `household_attachment`: files social workers attach to a household (PDF, JPEG, PNG; the bytes
 *   in the database like application documents), with a description; never edited nor deleted.
 */
export class Migration20261210140000_household_records extends Migration {
  override up(): void {
    this.addSql(`create function ${S}."fold_name"("name" text) returns text
      language sql immutable strict parallel safe
      return pg_catalog.regexp_replace(
        pg_catalog.lower(normalize("name", NFD)), '[\\u0300-\\u036f''\\u2019\\u0060\\u00b4]', '', 'g');`);
    this.addSql(`alter table ${S}."household_member"
      add column "family_name_folded" text generated always as (${S}."fold_name"("family_name")) stored;`);
    this.addSql(`create index "household_member_family_name_folded_index"
      on ${S}."household_member" ("comune_id", "family_name_folded" text_pattern_ops);`);
    this.addSql(`drop index if exists ${S}."household_member_family_name_index";`);

    this.addSql(`alter table ${S}."income_declaration"
      add column "validity_year" integer generated always as (extract(year from "valid_until")::integer) stored;`);
    this.addSql(`alter table ${S}."income_declaration"
      drop constraint "income_declaration_comune_declarant_unique";`);
    this.addSql(`alter table ${S}."income_declaration"
      add constraint "income_declaration_comune_declarant_year_unique"
      unique ("comune_id", "declarant_fiscal_code_hash", "validity_year");`);

    this.addSql(`create table ${S}."household_attachment" (
      "id" uuid not null primary key,
      "comune_id" uuid not null,
      "household_id" uuid not null
        references ${S}."household" ("id") on update cascade on delete cascade,
      "description" text not null check (length("description") between 1 and 500),
      "file_name" text not null check (length("file_name") between 1 and 200),
      "content_type" text not null
        check ("content_type" in ('application/pdf', 'image/jpeg', 'image/png')),
      "size_bytes" integer not null check ("size_bytes" > 0),
      "sha256" text not null,
      "content" bytea not null,
      "uploaded_by" uuid not null,
      "created_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "household_attachment_household_index"
      on ${S}."household_attachment" ("household_id", "created_at");`);
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."household_attachment";`);
    this.addSql(`delete from ${S}."income_declaration" d using ${S}."income_declaration" newer
      where newer."comune_id" = d."comune_id"
        and newer."declarant_fiscal_code_hash" = d."declarant_fiscal_code_hash"
        and (newer."valid_until", newer."id") > (d."valid_until", d."id");`);
    this.addSql(`alter table ${S}."income_declaration"
      drop constraint "income_declaration_comune_declarant_year_unique";`);
    this.addSql(`alter table ${S}."income_declaration"
      add constraint "income_declaration_comune_declarant_unique"
      unique ("comune_id", "declarant_fiscal_code_hash");`);
    this.addSql(`alter table ${S}."income_declaration" drop column "validity_year";`);
    this.addSql(`create index "household_member_family_name_index"
      on ${S}."household_member" ("comune_id", lower("family_name") text_pattern_ops);`);
    this.addSql(`drop index if exists ${S}."household_member_family_name_folded_index";`);
    this.addSql(`alter table ${S}."household_member" drop column "family_name_folded";`);
    this.addSql(`drop function if exists ${S}."fold_name"(text);`);
  }
}
