import { Migration } from '@mikro-orm/migrations';

const S = '"ies_circuit"';

/**
 * The staff's search of a circuit's members by name (the reserve page's purchase picker, the
 * members page). Hand-written.
 *
 * - `fold_name(text)`: a name folded for searching: decomposed (NFD), lower case, without
 *   combining accents nor apostrophes, so "Caffè Nicolò", "CAFFE NICOLO" and "caffe' nicolo'" are
 *   one spelling. Built-in functions only (no `unaccent` extension to install where the platform
 *   runs); IMMUTABLE, so a stored column can use it. The same as public-welfare's.
 * - `member.display_name_folded`: the display name folded, stored (generated), indexed per circuit
 *   (`text_pattern_ops`: prefix searches use it; a contains search reads only the circuit's rows).
 */
export class Migration20261211130000_member_search extends Migration {
  override up(): void {
    this.addSql(`create function ${S}."fold_name"("name" text) returns text
      language sql immutable strict parallel safe
      return pg_catalog.regexp_replace(
        pg_catalog.lower(normalize("name", NFD)), '[\\u0300-\\u036f''\\u2019\\u0060\\u00b4]', '', 'g');`);
    this.addSql(`alter table ${S}."member"
      add column "display_name_folded" text generated always as (${S}."fold_name"("display_name")) stored;`);
    this.addSql(`create index "member_display_name_folded_index"
      on ${S}."member" ("circuit_id", "display_name_folded" text_pattern_ops);`);
  }

  override down(): void {
    this.addSql(`drop index if exists ${S}."member_display_name_folded_index";`);
    this.addSql(`alter table ${S}."member" drop column "display_name_folded";`);
    this.addSql(`drop function if exists ${S}."fold_name"(text);`);
  }
}
