import { Migration } from '@mikro-orm/migrations';

const S = '"corporate_welfare"';

/**
 * Performance bonuses converted into welfare credit: the employee's request with the comparison
 * they were shown (net cash against credit, from the year's configured rates), and HR's decision.
 * A confirmed conversion is a book transfer into the employee's credit (its id derived from the
 * conversion's), so it is credited once.
 */
export class Migration20261207070000_bonus_conversions extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."bonus_conversion" (
  "id" uuid primary key,
  "employer_id" uuid not null,
  "plan_id" uuid not null references ${S}."plan" ("id"),
  "employee_id" uuid not null references ${S}."employee" ("id"),
  "bonus_cents" bigint not null,
  "converted_cents" bigint not null,
  "prior_year_income_cents" bigint not null,
  "cash_net_if_all_cash_cents" bigint not null,
  "cash_net_cents" bigint not null,
  "tax_basis_points" int not null,
  "contribution_basis_points" int not null,
  "rates_source" text not null,
  "status" text not null default 'REQUESTED',
  "requested_by" uuid not null,
  "decided_by" uuid null,
  "decision_reason" text null,
  "created_at" timestamptz not null default now(),
  "decided_at" timestamptz null,
  constraint "bonus_conversion_amounts_check" check (
    "bonus_cents" between 1 and 100000000 and "converted_cents" between 1 and "bonus_cents"
  ),
  constraint "bonus_conversion_income_check" check ("prior_year_income_cents" between 0 and 10000000000),
  constraint "bonus_conversion_status_check" check ("status" in ('REQUESTED', 'CONFIRMED', 'REJECTED')),
  constraint "bonus_conversion_decision_check" check (
    ("status" = 'REQUESTED' and "decided_at" is null and "decided_by" is null)
    or ("status" <> 'REQUESTED' and "decided_at" is not null and "decided_by" is not null)
  ),
  constraint "bonus_conversion_reason_check" check (
    "status" <> 'REJECTED' or length(btrim(coalesce("decision_reason", ''))) between 3 and 500
  )
);`,
    );
    this.addSql(
      `create index "bonus_conversion_employer_idx" on ${S}."bonus_conversion" ("employer_id", "status", "created_at" desc);`,
    );
    this.addSql(
      `create index "bonus_conversion_employee_idx" on ${S}."bonus_conversion" ("employee_id", "created_at" desc);`,
    );
    // One open request per employee and plan: a second waits for HR's decision on the first.
    this.addSql(
      `create unique index "bonus_conversion_open_key" on ${S}."bonus_conversion" ("plan_id", "employee_id") where "status" = 'REQUESTED';`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."bonus_conversion";`);
  }
}
