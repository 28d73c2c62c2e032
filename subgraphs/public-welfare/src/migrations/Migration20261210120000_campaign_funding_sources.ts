import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * A campaign's funding sources (issue 19, item 5). Hand-written. One row per source, in the order
 * staff gave them (`position`, from 0): its kind, its name or reference (e.g. the decree) and the
 * cents it funds (> 0). The service replaces the whole list at once and checks that it sums to the
 * campaign's budget; the database checks kinds, names and amounts again.
 */
export class Migration20261210120000_campaign_funding_sources extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."campaign_funding_source" (
  "campaign_id" uuid not null references ${S}."campaign" ("id") on delete cascade,
  "position" int not null check ("position" >= 0),
  "kind" text not null check ("kind" in ('STATE', 'REGION', 'COMUNE', 'EU', 'DONATION', 'OTHER')),
  "name" text not null check (char_length("name") between 2 and 200),
  "amount_cents" bigint not null check ("amount_cents" > 0),
  "created_at" timestamptz not null default now(),
  primary key ("campaign_id", "position")
);`);
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."campaign_funding_source";`);
  }
}
