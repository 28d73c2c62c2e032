import { Migration } from '@mikro-orm/migrations';

/**
 * The household file (hand-written, issue 19): social workers' notes on a household (text only,
 * at most 4,000 characters, never edited nor deleted through the API), and an index for the
 * registry search by family name (case-insensitive prefix within one Comune).
 */
export class Migration20261209110000_household_file extends Migration {
  override up(): void {
    this.addSql(`create table "public_welfare"."household_note" (
      "id" uuid not null primary key,
      "comune_id" uuid not null,
      "household_id" uuid not null
        references "public_welfare"."household" ("id") on update cascade on delete cascade,
      "author_id" uuid not null,
      "text" text not null check (length("text") between 1 and 4000),
      "created_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "household_note_household_index"
      on "public_welfare"."household_note" ("household_id", "created_at" desc);`);
    this.addSql(`create index "household_member_family_name_index"
      on "public_welfare"."household_member" ("comune_id", lower("family_name") text_pattern_ops);`);
  }

  override down(): void {
    this.addSql(`drop index if exists "public_welfare"."household_member_family_name_index";`);
    this.addSql(`drop table if exists "public_welfare"."household_note";`);
  }
}
