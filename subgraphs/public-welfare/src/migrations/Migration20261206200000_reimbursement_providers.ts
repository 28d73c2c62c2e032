import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';
const IBAN = `'^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'`;

/**
 * Third-sector providers in the Comune's reimbursement batches, beside the shops. Hand-written.
 *
 * - `reimbursement_payee_line`: a batch's credit transfer to a provider: PROVIDER_SERVICES (the
 *   balance of its book account `provider:<p>:campaign:<c>` for the batch's campaign, `account_id`)
 *   or TUTORING (a programme's delivered hours at its hourly tariff). Name and IBAN as they were
 *   when the batch was made. One line per account, one per programme, in a batch.
 * - `reimbursement_tutoring_lesson`: the lessons a TUTORING line pays (the primary key keeps a
 *   lesson in one batch; a discarded batch's rows are deleted, which frees its lessons).
 * - `reimbursement_held_back`: what a batch could not pay (no IBAN, no tariff, a provider identity
 *   does not know), reported with the batch; the money or the hours wait for a later batch.
 * - A batch may pay providers only: `payment_count` (shop payments) may be 0.
 */
export class Migration20261206200000_reimbursement_providers extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."reimbursement_payee_line" (
  "id" uuid not null,
  "batch_id" uuid not null,
  "kind" text not null,
  "provider_id" uuid not null,
  "provider_name" text not null,
  "iban" text not null,
  "amount_cents" bigint not null,
  "account_id" uuid null,
  "programme_id" uuid null,
  "programme_title" text null,
  "minutes" int null,
  "hourly_tariff_cents" int null,
  "lesson_count" int null,
  "period_from" date null,
  "period_to" date not null,
  constraint "reimbursement_payee_line_pkey" primary key ("id"),
  constraint "reimbursement_payee_line_batch_fkey" foreign key ("batch_id") references ${S}."reimbursement_batch" ("id"),
  constraint "reimbursement_payee_line_kind_check" check (
    ("kind" = 'PROVIDER_SERVICES' and "account_id" is not null and "programme_id" is null)
    or ("kind" = 'TUTORING' and "account_id" is null and "programme_id" is not null
        and "minutes" > 0 and "hourly_tariff_cents" > 0 and "lesson_count" > 0)),
  constraint "reimbursement_payee_line_amount_check" check ("amount_cents" > 0),
  constraint "reimbursement_payee_line_iban_check" check ("iban" ~ ${IBAN}),
  constraint "reimbursement_payee_line_period_check" check ("period_from" is null or "period_from" <= "period_to")
);`);
    this.addSql(`create unique index "reimbursement_payee_line_account_unique"
  on ${S}."reimbursement_payee_line" ("batch_id", "account_id") where "account_id" is not null;`);
    this.addSql(`create unique index "reimbursement_payee_line_programme_unique"
  on ${S}."reimbursement_payee_line" ("batch_id", "programme_id") where "programme_id" is not null;`);
    this.addSql(`create index "reimbursement_payee_line_account_index"
  on ${S}."reimbursement_payee_line" ("account_id") where "account_id" is not null;`);
    this.addSql(`create index "reimbursement_payee_line_provider_index"
  on ${S}."reimbursement_payee_line" ("provider_id");`);
    this.addSql(`create table ${S}."reimbursement_tutoring_lesson" (
  "lesson_id" uuid not null,
  "batch_id" uuid not null,
  "line_id" uuid not null,
  "minutes" int not null,
  constraint "reimbursement_tutoring_lesson_pkey" primary key ("lesson_id"),
  constraint "reimbursement_tutoring_lesson_batch_fkey" foreign key ("batch_id") references ${S}."reimbursement_batch" ("id"),
  constraint "reimbursement_tutoring_lesson_line_fkey" foreign key ("line_id") references ${S}."reimbursement_payee_line" ("id"),
  constraint "reimbursement_tutoring_lesson_minutes_check" check ("minutes" > 0)
);`);
    this.addSql(`create index "reimbursement_tutoring_lesson_batch_index"
  on ${S}."reimbursement_tutoring_lesson" ("batch_id");`);
    this.addSql(`create table ${S}."reimbursement_held_back" (
  "id" uuid not null,
  "batch_id" uuid not null,
  "kind" text not null,
  "provider_id" uuid not null,
  "provider_name" text null,
  "programme_id" uuid null,
  "programme_title" text null,
  "amount_cents" bigint null,
  "minutes" int null,
  "reason" text not null,
  constraint "reimbursement_held_back_pkey" primary key ("id"),
  constraint "reimbursement_held_back_batch_fkey" foreign key ("batch_id") references ${S}."reimbursement_batch" ("id"),
  constraint "reimbursement_held_back_kind_check" check ("kind" in ('PROVIDER_SERVICES', 'TUTORING')),
  constraint "reimbursement_held_back_reason_check" check ("reason" in ('NO_IBAN', 'NO_TARIFF', 'UNKNOWN_PROVIDER'))
);`);
    this.addSql(`create index "reimbursement_held_back_batch_index"
  on ${S}."reimbursement_held_back" ("batch_id");`);
    this.addSql(
      `alter table ${S}."reimbursement_batch" drop constraint "reimbursement_batch_totals_check";`,
    );
    this
      .addSql(`alter table ${S}."reimbursement_batch" add constraint "reimbursement_batch_totals_check"
  check ("total_cents" > 0 and "payment_count" >= 0 and "line_count" > 0);`);
  }

  /** Drops the providers' tables; a batch paying providers only (no shop payment) must go first. */
  override down(): void {
    this.addSql(`drop table if exists ${S}."reimbursement_held_back";`);
    this.addSql(`drop table if exists ${S}."reimbursement_tutoring_lesson";`);
    this.addSql(`drop table if exists ${S}."reimbursement_payee_line";`);
    this.addSql(
      `alter table ${S}."reimbursement_batch" drop constraint "reimbursement_batch_totals_check";`,
    );
    this
      .addSql(`alter table ${S}."reimbursement_batch" add constraint "reimbursement_batch_totals_check"
  check ("total_cents" > 0 and "payment_count" > 0 and "line_count" > 0);`);
  }
}
