import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * Imports that take real exports (issue 19, item 1). Hand-written.
 *
 * - `rows_changed`: rows of the file that changed the registry (inserted or updated): a re-import
 *   that changes nothing says 0.
 * - `encoding`, `separator`: how the file was written, as detected (null until read).
 */
export class Migration20261209100000_import_format extends Migration {
  override up(): void {
    this.addSql(`alter table ${S}."import_job"
  add column "rows_changed" int not null default 0,
  add column "encoding" text null,
  add column "separator" text null;`);
  }

  override down(): void {
    this.addSql(`alter table ${S}."import_job"
  drop column "rows_changed",
  drop column "encoding",
  drop column "separator";`);
  }
}
