import { Migration } from '@mikro-orm/migrations';

/**
 * Money checks above the book (hand-written, issue 11).
 * - `application_tranche`: each tranche credited to an application (number, percent, cents, the
 *   book transfer), so that tranches round cumulatively (the share of tranche n is
 *   floor(entitlement × percents so far / 100) − what was already credited) and the
 *   reconciliation can check that an application's credit is the sum of its tranches. A tranche
 *   that credited nothing (its share rounded to 0, or nothing was due) is recorded too: its
 *   percent still counts. Backfilled from the book's TOPUP transfers, whose ids derive from
 *   (application, number): the number is found by recomputing the id for 1..20; the percent of a
 *   backfilled tranche is ceil(cents × 100 / entitlement) (exact for entitlements of 1 euro or more
 *   credited by the old per-tranche floor).
 * - `payment.residual_cents`: the card's credit right after the payment, so that a replay of the
 *   same request answers the first result (null for payments made before this migration).
 * - `money_reconciliation`: every run of the reconciliation, per Comune, with its problems.
 */
export class Migration20261205140000_reconciliation extends Migration {
  override up(): void {
    this.addSql(`create table "public_welfare"."application_tranche" (
  "application_id" uuid not null,
  "number" int not null,
  "campaign_id" uuid not null,
  "percent" int not null,
  "credited_cents" bigint not null,
  "transfer_id" uuid null,
  "created_at" timestamptz not null default now(),
  constraint "application_tranche_pkey" primary key ("application_id", "number"),
  constraint "application_tranche_application_fkey" foreign key ("application_id") references "public_welfare"."application" ("id"),
  constraint "application_tranche_campaign_fkey" foreign key ("campaign_id") references "public_welfare"."campaign" ("id"),
  constraint "application_tranche_number_check" check ("number" between 1 and 20),
  constraint "application_tranche_percent_check" check ("percent" between 1 and 100),
  constraint "application_tranche_credited_check" check ("credited_cents" >= 0 and (("credited_cents" > 0) = ("transfer_id" is not null))),
  constraint "application_tranche_transfer_unique" unique ("transfer_id")
);`);
    this.addSql(
      `create index "application_tranche_campaign_index" on "public_welfare"."application_tranche" ("campaign_id");`,
    );
    // The existing credits: the tranche number whose deterministic id (ledger.ts `deterministicId`:
    // sha256 of the parts joined by NUL, in a v8 uuid layout) is the transfer's id.
    this.addSql(`insert into "public_welfare"."application_tranche"
  ("application_id", "number", "campaign_id", "percent", "credited_cents", "transfer_id", "created_at")
select x.application_id, x.n, a.campaign_id,
       least(100, greatest(1, ceil(x.amount * 100.0 / greatest(a.amount_cents, 1))))::int,
       x.amount, x.id, x.created_at
  from (
    select t.id, t.amount, t.created_at, h.application_id, h.n,
           substr(h.hex, 1, 8) || '-' || substr(h.hex, 9, 4) || '-8' || substr(h.hex, 14, 3) || '-' ||
           to_hex((('x' || substr(h.hex, 17, 1))::bit(4)::int & 3) | 8) || substr(h.hex, 18, 3) || '-' ||
           substr(h.hex, 21, 12) as derived
      from "public_welfare"."book_transfer" t
      cross join lateral (
        select substring(t.reference from 13)::uuid as application_id, g.n,
               encode(sha256(convert_to('topup', 'UTF8') || '\\x00'::bytea ||
                 convert_to(substring(t.reference from 13), 'UTF8') || '\\x00'::bytea ||
                 convert_to(g.n::text, 'UTF8')), 'hex') as hex
          from generate_series(1, 20) as g(n)
      ) h
     where t.code = 'TOPUP' and t.reference like 'application:%'
  ) x
  join "public_welfare"."application" a on a.id = x.application_id
 where x.derived::uuid = x.id
on conflict do nothing;`);
    this.addSql(`alter table "public_welfare"."payment" add column "residual_cents" bigint null;`);
    this.addSql(`create table "public_welfare"."money_reconciliation" (
  "id" uuid not null,
  "comune_id" uuid not null,
  "ran_at" timestamptz not null default now(),
  "trigger" text not null,
  "ok" boolean not null,
  "problem_count" int not null,
  "problems" jsonb not null,
  constraint "money_reconciliation_pkey" primary key ("id"),
  constraint "money_reconciliation_trigger_check" check ("trigger" in ('SCHEDULER', 'ON_DEMAND')),
  constraint "money_reconciliation_count_check" check ("problem_count" >= 0 and "ok" = ("problem_count" = 0))
);`);
    this.addSql(
      `create index "money_reconciliation_comune_index" on "public_welfare"."money_reconciliation" ("comune_id", "ran_at" desc);`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "public_welfare"."money_reconciliation" cascade;`);
    this.addSql(`alter table "public_welfare"."payment" drop column if exists "residual_cents";`);
    this.addSql(`drop table if exists "public_welfare"."application_tranche" cascade;`);
  }
}
