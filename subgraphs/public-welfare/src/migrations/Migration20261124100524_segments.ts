import { Migration } from '@mikro-orm/migrations';

export class Migration20261124100524_segments extends Migration {
  override up(): void {
    this.addSql(
      `create table "public_welfare"."segment" ("id" uuid not null, "comune_id" uuid not null, "name" text not null, "filter" jsonb not null, "created_by" uuid not null, "created_at" timestamptz not null default now(), constraint "segment_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "public_welfare"."segment" add constraint "segment_comune_name_unique" unique ("comune_id", "name");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "public_welfare"."segment" cascade;`);
  }
}
