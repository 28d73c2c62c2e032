import { Migration } from '@mikro-orm/migrations';

/**
 * Top-ups by date (hand-written: keys and checks the code also relies on).
 * - `topup_schedule`: one row per tranche of a campaign scheduled for a day (Italian days). The
 *   scheduler credits a PENDING row once its day has come and marks it DONE (with what it credited)
 *   or FAILED (with the refusal, Italian and English); staff may cancel a PENDING one. The primary
 *   key (campaign, number) keeps one schedule per tranche number.
 * The automatic return of unspent credit needs no table: the scheduler derives the campaigns to
 * sweep from the book (cards of a campaign whose window ended that still hold credit), and the
 * sweep is idempotent; each sweep's audit row names the actor `service:topup-scheduler`.
 */
export class Migration20261124150000_topup_schedule extends Migration {
  override up(): void {
    this.addSql(`create table "public_welfare"."topup_schedule" (
  "campaign_id" uuid not null,
  "comune_id" uuid not null,
  "number" int not null,
  "percent" int not null,
  "due_on" date not null,
  "status" text not null default 'PENDING',
  "credited_cents" bigint null,
  "applied_at" timestamptz null,
  "last_error" jsonb null,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  "cancelled_by" uuid null,
  "cancelled_at" timestamptz null,
  constraint "topup_schedule_pkey" primary key ("campaign_id", "number"),
  constraint "topup_schedule_campaign_fkey" foreign key ("campaign_id") references "public_welfare"."campaign" ("id"),
  constraint "topup_schedule_number_check" check ("number" between 1 and 20),
  constraint "topup_schedule_percent_check" check ("percent" between 1 and 100),
  constraint "topup_schedule_status_check" check ("status" in ('PENDING', 'DONE', 'FAILED', 'CANCELLED')),
  constraint "topup_schedule_done_check" check (("status" = 'DONE') = ("credited_cents" is not null) and ("status" in ('DONE', 'FAILED')) = ("applied_at" is not null)),
  constraint "topup_schedule_credited_check" check ("credited_cents" is null or "credited_cents" >= 0),
  constraint "topup_schedule_error_check" check (("status" = 'FAILED') = ("last_error" is not null) and ("last_error" is null or (jsonb_typeof("last_error") = 'object' and jsonb_typeof("last_error" -> 'it') = 'string' and jsonb_typeof("last_error" -> 'en') = 'string' and length("last_error"::text) <= 2000))),
  constraint "topup_schedule_cancelled_check" check (("status" = 'CANCELLED') = ("cancelled_at" is not null) and ("cancelled_at" is null) = ("cancelled_by" is null))
);`);
    // The scheduler's claim: due PENDING rows, oldest day first.
    this.addSql(
      `create index "topup_schedule_due_index" on "public_welfare"."topup_schedule" ("due_on", "campaign_id", "number") where "status" = 'PENDING';`,
    );
    this.addSql(
      `create index "topup_schedule_comune_index" on "public_welfare"."topup_schedule" ("comune_id");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "public_welfare"."topup_schedule" cascade;`);
  }
}
