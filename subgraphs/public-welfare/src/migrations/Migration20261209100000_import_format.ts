import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * Imports that take real exports (issue 19, item 1). Hand-written.
 *
 * - `rows_changed`: rows of the file that changed the registry (inserted or updated): a re-import
 *   that changes nothing says 0.
 * - `encoding`, `separator`: how the file was written, as detected (null until read).
 * - `import_header_mapping`: the column a Comune's operator chose for a header its files use
 *   (by `headerKey`), per kind of file; reused by every later import of that Comune.
 */
export class Migration20261209100000_import_format extends Migration {
  override up(): void {
    this.addSql(`alter table ${S}."import_job"
  add column "rows_changed" int not null default 0,
  add column "encoding" text null,
  add column "separator" text null;`);
    this.addSql(`create table ${S}."import_header_mapping" (
  "comune_id" uuid not null,
  "kind" text not null check ("kind" in ('REGISTRY', 'INCOME')),
  "header_key" text not null check (length("header_key") between 1 and 100),
  "column_name" text not null,
  "updated_by" uuid null,
  "updated_at" timestamptz not null default now(),
  primary key ("comune_id", "kind", "header_key")
);`);
  }

  override down(): void {
    this.addSql(`drop table ${S}."import_header_mapping";`);
    this.addSql(`alter table ${S}."import_job"
  drop column "rows_changed",
  drop column "encoding",
  drop column "separator";`);
  }
}
