import { Migration } from '@mikro-orm/migrations';

const S = '"ies_circuit"';

/**
 * Fundraising projects of third-sector members (associations, cooperatives) and the donations of
 * IES to them. A project's IES sit in its book account (`circuit:<c>:project:<p>`) until the
 * organisation closes it: then they move to the organisation's wallet. The donations' totals are
 * read from `donation` (one row per donation, its id the book transfer's).
 */
export class Migration20261207100000_projects extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."project" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "member_id" uuid not null references ${S}."member" ("id"),
  "organisation_id" uuid not null,
  "title" text not null,
  "description" text not null,
  "target_cents" integer not null,
  "ends_on" date not null,
  "status" text not null default 'OPEN',
  "hidden_reason" text,
  "hidden_by" uuid,
  "hidden_at" timestamptz,
  "closed_by" uuid,
  "closed_at" timestamptz,
  "paid_out_cents" integer,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  constraint "project_title_check" check (length(btrim("title")) between 3 and 120),
  constraint "project_description_check" check (length(btrim("description")) between 10 and 4000),
  constraint "project_target_check" check ("target_cents" between 100 and 100000000),
  constraint "project_status_check" check ("status" in ('OPEN', 'CLOSED')),
  constraint "project_hidden_check" check (("hidden_at" is null) = ("hidden_reason" is null)),
  constraint "project_closed_check" check (("status" = 'CLOSED') = ("closed_at" is not null))
);`);
    this.addSql(
      `create index "project_circuit_idx" on ${S}."project" ("circuit_id", "created_at");`,
    );
    this.addSql(`create index "project_organisation_idx" on ${S}."project" ("organisation_id");`);
    this.addSql(`create table ${S}."donation" (
  "id" uuid primary key,
  "project_id" uuid not null references ${S}."project" ("id"),
  "donor_member_id" uuid not null references ${S}."member" ("id"),
  "idempotency_key" text not null,
  "amount_cents" integer not null,
  "show_name" boolean not null default false,
  "created_at" timestamptz not null default now(),
  constraint "donation_key_unique" unique ("donor_member_id", "idempotency_key"),
  constraint "donation_amount_check" check ("amount_cents" between 1 and 10000000)
);`);
    this.addSql(`create index "donation_project_idx" on ${S}."donation" ("project_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."donation";`);
    this.addSql(`drop table if exists ${S}."project";`);
  }
}
