import { Migration } from '@mikro-orm/migrations';

const S = '"ies_circuit"';

/**
 * Earning by taking part: the rules the circuit's staff configures (local purchase cashback,
 * tutoring attendance, volunteering shifts, shared links), each with a cap per person and period;
 * the rewards paid (one per source: the same attendance, shift, payment or visit threshold never
 * earns twice); the counters that hold the caps under concurrent claims (a row locked per member,
 * rule and period); the volunteering shifts; the initiatives shared, their personal links and
 * distinct visits; the attendance feed's cursor.
 */
export class Migration20261207080000_earning extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."earning_rule" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "kind" text not null,
  "name" text not null,
  "amount_cents" integer,
  "basis_points" integer,
  "volunteering_unit" text,
  "visits_per_reward" integer,
  "cap_cents" integer not null,
  "cap_period" text not null,
  "starts_on" date not null,
  "ends_on" date,
  "active" boolean not null default true,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now(),
  constraint "earning_rule_kind_check" check (
    "kind" in ('LOCAL_PURCHASE', 'ATTENDANCE', 'VOLUNTEERING', 'SHARING')
  ),
  constraint "earning_rule_name_check" check (length(btrim("name")) between 3 and 120),
  constraint "earning_rule_amount_check" check (
    ("kind" = 'LOCAL_PURCHASE' and "basis_points" between 1 and 5000 and "amount_cents" is null)
    or ("kind" <> 'LOCAL_PURCHASE' and "amount_cents" between 1 and 100000 and "basis_points" is null)
  ),
  constraint "earning_rule_unit_check" check (
    ("kind" = 'VOLUNTEERING') = ("volunteering_unit" is not null)
    and ("volunteering_unit" is null or "volunteering_unit" in ('HOUR', 'SHIFT'))
  ),
  constraint "earning_rule_visits_check" check (
    ("kind" = 'SHARING') = ("visits_per_reward" is not null)
    and ("visits_per_reward" is null or "visits_per_reward" between 1 and 10000)
  ),
  constraint "earning_rule_cap_check" check ("cap_cents" between 1 and 10000000),
  constraint "earning_rule_cap_period_check" check ("cap_period" in ('DAY', 'WEEK', 'MONTH', 'YEAR')),
  constraint "earning_rule_dates_check" check ("ends_on" is null or "ends_on" >= "starts_on")
);`);
    this.addSql(
      `create index "earning_rule_circuit_idx" on ${S}."earning_rule" ("circuit_id", "kind", "active");`,
    );

    this.addSql(`create table ${S}."earning_counter" (
  "member_id" uuid not null references ${S}."member" ("id"),
  "rule_id" uuid not null references ${S}."earning_rule" ("id"),
  "period_start" date not null,
  "earned_cents" integer not null default 0,
  constraint "earning_counter_pkey" primary key ("member_id", "rule_id", "period_start"),
  constraint "earning_counter_earned_check" check ("earned_cents" >= 0)
);`);

    this.addSql(`create table ${S}."reward" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "rule_id" uuid not null references ${S}."earning_rule" ("id"),
  "member_id" uuid not null references ${S}."member" ("id"),
  "kind" text not null,
  "source" text not null,
  "requested_cents" integer not null,
  "paid_cents" integer not null,
  "period_start" date not null,
  "description" text not null,
  "created_at" timestamptz not null default now(),
  constraint "reward_source_key" unique ("circuit_id", "source"),
  constraint "reward_amounts_check" check (
    "requested_cents" > 0 and "paid_cents" between 0 and "requested_cents"
  ),
  constraint "reward_source_check" check (length("source") between 3 and 200)
);`);
    this.addSql(
      `create index "reward_member_idx" on ${S}."reward" ("member_id", "created_at" desc);`,
    );
    this.addSql(
      `create index "reward_circuit_idx" on ${S}."reward" ("circuit_id", "created_at" desc);`,
    );
    this.addSql(`comment on column ${S}."reward"."paid_cents" is
  'What was paid: less than requested_cents when the cap of the period was reached (0: nothing)';`);

    this.addSql(`create table ${S}."volunteer_shift" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "organisation_member_id" uuid not null references ${S}."member" ("id"),
  "member_id" uuid not null references ${S}."member" ("id"),
  "day" date not null,
  "minutes" integer not null,
  "description" text not null,
  "confirmed_by" uuid not null,
  "created_at" timestamptz not null default now(),
  constraint "volunteer_shift_once_key" unique ("organisation_member_id", "member_id", "day"),
  constraint "volunteer_shift_minutes_check" check ("minutes" between 15 and 1440),
  constraint "volunteer_shift_description_check" check (length(btrim("description")) between 3 and 300)
);`);

    this.addSql(`create table ${S}."share_initiative" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "title" text not null,
  "url" text not null,
  "active" boolean not null default true,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  constraint "share_initiative_title_check" check (length(btrim("title")) between 3 and 200),
  constraint "share_initiative_url_check" check ("url" ~ '^https?://' and length("url") <= 500)
);`);
    this.addSql(`create table ${S}."share_link" (
  "id" uuid primary key,
  "token" text not null,
  "initiative_id" uuid not null references ${S}."share_initiative" ("id"),
  "member_id" uuid not null references ${S}."member" ("id"),
  "visits" integer not null default 0,
  "created_at" timestamptz not null default now(),
  constraint "share_link_token_key" unique ("token"),
  constraint "share_link_once_key" unique ("initiative_id", "member_id")
);`);
    this.addSql(`create table ${S}."share_visit" (
  "link_id" uuid not null references ${S}."share_link" ("id"),
  "visitor_hash" text not null,
  "day" date not null,
  "created_at" timestamptz not null default now(),
  constraint "share_visit_pkey" primary key ("link_id", "visitor_hash", "day")
);`);

    this.addSql(`create table ${S}."earning_cursor" (
  "name" text primary key,
  "position" text not null,
  "updated_at" timestamptz not null default now()
);`);
  }

  override down(): void {
    for (const table of [
      'earning_cursor',
      'share_visit',
      'share_link',
      'share_initiative',
      'volunteer_shift',
      'reward',
      'earning_counter',
      'earning_rule',
    ]) {
      this.addSql(`drop table if exists ${S}."${table}";`);
    }
  }
}
