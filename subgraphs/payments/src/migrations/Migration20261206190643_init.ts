import { Migration } from '@mikro-orm/migrations';

const S = '"payments"';

/**
 * The payments subgraph's first tables. Written by hand, with the rules the database keeps
 * whatever the code does: keys, checks, indexes for the queries of the repositories.
 */
export class Migration20261206190643_init extends Migration {
  override up(): void {
    this.addSql(`create schema if not exists ${S};`);
    this.addSql(
      `create table ${S}."notice" ("id" uuid not null, "organisation_id" uuid not null, "title" text not null, "body" text not null, "created_by" uuid not null, "created_at" timestamptz not null default now(), constraint "notice_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table ${S}."notice" add constraint "notice_title_check" check (length("title") between 3 and 120);`,
    );
    this.addSql(
      `create index "notice_organisation_idx" on ${S}."notice" ("organisation_id", "created_at" desc);`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."notice";`);
  }
}
