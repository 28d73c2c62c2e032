import { Migration } from '@mikro-orm/migrations';

const S = '"corporate_welfare"';

/** What a plan's credit may pay for (art. 51 TUIR), as stored. */
const PURPOSES = `array['SERVICES_IN_KIND','EDUCATION_CHILDCARE','ELDERLY_CARE','PUBLIC_TRANSPORT','FRINGE_BENEFIT']::text[]`;

/**
 * Employers' welfare plans, their categories of employees ("categorie omogenee") with the credit of
 * each, and the employees enrolled. The money (the plan's pool, each employee's credit) is in the
 * book (Migration20261207010000_book); these tables hold the rules and the people.
 */
export class Migration20261207010100_plans extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."plan" (
  "id" uuid primary key,
  "employer_id" uuid not null,
  "name" text not null,
  "year" int not null,
  "valid_from" date not null,
  "valid_until" date not null,
  "status" text not null default 'DRAFT',
  "purposes" text[] not null,
  "covered_categories" text[] not null default '{}',
  "end_rule" text not null,
  "bonus_conversion" boolean not null default false,
  "regulation_file_name" text null,
  "regulation_content_type" text null,
  "regulation_size_bytes" int null,
  "regulation_sha256" text null,
  "regulation" bytea null,
  "funded_at" timestamptz null,
  "closed_at" timestamptz null,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now(),
  "version" int not null default 1,
  constraint "plan_name_check" check (length(btrim("name")) between 3 and 120),
  constraint "plan_year_check" check ("year" between 2000 and 2100),
  constraint "plan_validity_check" check ("valid_until" >= "valid_from"),
  constraint "plan_status_check" check ("status" in ('DRAFT', 'ACTIVE', 'CLOSED')),
  constraint "plan_purposes_check" check (cardinality("purposes") >= 1 and "purposes" <@ ${PURPOSES}),
  constraint "plan_end_rule_check" check ("end_rule" in ('RETURN_TO_EMPLOYER', 'CARRY_OVER')),
  constraint "plan_regulation_check" check (
    ("regulation" is null and "regulation_file_name" is null and "regulation_content_type" is null
      and "regulation_size_bytes" is null and "regulation_sha256" is null)
    or ("regulation" is not null and "regulation_file_name" is not null
      and "regulation_content_type" in ('application/pdf', 'image/jpeg', 'image/png')
      and "regulation_size_bytes" = octet_length("regulation") and "regulation_sha256" is not null)
  ),
  constraint "plan_active_check" check ("status" = 'DRAFT' or "regulation" is not null),
  constraint "plan_closed_check" check (("status" = 'CLOSED') = ("closed_at" is not null))
);`,
    );
    this.addSql(`create index "plan_employer_idx" on ${S}."plan" ("employer_id", "year" desc);`);
    this.addSql(
      `create table ${S}."plan_category" (
  "id" uuid primary key,
  "plan_id" uuid not null references ${S}."plan" ("id") on delete cascade,
  "code" text not null,
  "name" text not null,
  "criterion" text not null,
  "credit_cents" bigint not null,
  constraint "plan_category_code_check" check ("code" ~ '^[A-Z0-9_]{1,30}$'),
  constraint "plan_category_name_check" check (length(btrim("name")) between 2 and 80),
  constraint "plan_category_criterion_check" check (length(btrim("criterion")) between 3 and 300),
  constraint "plan_category_credit_check" check ("credit_cents" between 0 and 100000000),
  constraint "plan_category_code_key" unique ("plan_id", "code")
);`,
    );
    this.addSql(
      `create table ${S}."employee" (
  "id" uuid primary key,
  "employer_id" uuid not null,
  "fiscal_code" text not null,
  "given_name" text not null,
  "family_name" text not null,
  "email" text null,
  "category_code" text not null,
  "start_date" date not null,
  "end_date" date null,
  "dependent_children" smallint not null default 0,
  "person_id" uuid null,
  "invited_at" timestamptz null,
  "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now(),
  constraint "employee_fiscal_code_check" check ("fiscal_code" ~ '^[A-Z0-9]{16}$'),
  constraint "employee_given_name_check" check (length(btrim("given_name")) between 1 and 100),
  constraint "employee_family_name_check" check (length(btrim("family_name")) between 1 and 100),
  constraint "employee_email_check" check ("email" is null or length("email") between 3 and 254),
  constraint "employee_category_code_check" check ("category_code" ~ '^[A-Z0-9_]{1,30}$'),
  constraint "employee_dates_check" check ("end_date" is null or "end_date" >= "start_date"),
  constraint "employee_children_check" check ("dependent_children" between 0 and 20),
  constraint "employee_fiscal_code_key" unique ("employer_id", "fiscal_code")
);`,
    );
    this.addSql(
      `create index "employee_employer_idx" on ${S}."employee" ("employer_id", "family_name", "given_name");`,
    );
    this.addSql(`create index "employee_fiscal_code_idx" on ${S}."employee" ("fiscal_code");`);
    this.addSql(
      `create index "employee_person_idx" on ${S}."employee" ("person_id") where "person_id" is not null;`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."employee";`);
    this.addSql(`drop table if exists ${S}."plan_category";`);
    this.addSql(`drop table if exists ${S}."plan";`);
  }
}
