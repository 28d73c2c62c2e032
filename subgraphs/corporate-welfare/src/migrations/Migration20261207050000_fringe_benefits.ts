import { Migration } from '@mikro-orm/migrations';

const S = '"corporate_welfare"';

/**
 * The fringe benefits of an employee (art. 51 c.3 TUIR), per tax year: those declared by HR from
 * outside the platform (a company car, vouchers, utilities paid by the employer) and those granted
 * from a plan's credit (whose money is the book's FRINGE_BENEFIT transfer named here). The
 * fringe-benefit cap counts both; the book stays the truth of the granted amounts.
 */
export class Migration20261207050000_fringe_benefits extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."fringe_benefit" (
  "id" uuid primary key,
  "employer_id" uuid not null,
  "employee_id" uuid not null references ${S}."employee" ("id") on delete cascade,
  "tax_year" int not null,
  "source" text not null,
  "amount_cents" bigint not null,
  "description" text not null,
  "benefit_date" date not null,
  "plan_id" uuid null references ${S}."plan" ("id"),
  "transfer_id" uuid null,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  constraint "fringe_benefit_year_check" check ("tax_year" between 2000 and 2100),
  constraint "fringe_benefit_source_check" check ("source" in ('DECLARED', 'PLAN')),
  constraint "fringe_benefit_amount_check" check ("amount_cents" between 1 and 100000000),
  constraint "fringe_benefit_description_check" check (length(btrim("description")) between 3 and 200),
  constraint "fringe_benefit_plan_check" check (
    ("source" = 'PLAN') = ("plan_id" is not null and "transfer_id" is not null)
  ),
  constraint "fringe_benefit_transfer_key" unique ("transfer_id")
);`,
    );
    this.addSql(
      `create index "fringe_benefit_employee_idx" on ${S}."fringe_benefit" ("employee_id", "tax_year");`,
    );
    this.addSql(
      `create index "fringe_benefit_employer_idx" on ${S}."fringe_benefit" ("employer_id", "tax_year");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."fringe_benefit";`);
  }
}
