import { Migration } from '@mikro-orm/migrations';

const S = '"corporate_welfare"';

/**
 * Enrolment of employees by CSV, as the Comune's registry import does it: a job with its progress,
 * the valid rows staged while the file streams in (merged into `employee` in one transaction only
 * when the whole file is clean), the rejections by line; and the outbox of the invitations sent
 * by e-mail to new employees (one per employee).
 */
export class Migration20261207030000_enrolment extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."enrolment_job" (
  "id" uuid primary key,
  "employer_id" uuid not null,
  "status" text not null default 'QUEUED',
  "rows_read" int not null default 0,
  "rows_imported" int not null default 0,
  "rows_rejected" int not null default 0,
  "rows_created" int not null default 0,
  "rows_changed" int not null default 0,
  "created_by" uuid null,
  "created_at" timestamptz not null default now(),
  "started_at" timestamptz null,
  "finished_at" timestamptz null,
  constraint "enrolment_job_status_check" check ("status" in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
  constraint "enrolment_job_rows_check" check (
    "rows_read" >= 0 and "rows_imported" >= 0 and "rows_rejected" >= 0
    and "rows_created" >= 0 and "rows_changed" >= 0 and "rows_created" + "rows_changed" <= "rows_imported")
);`,
    );
    this.addSql(
      `create index "enrolment_job_employer_idx" on ${S}."enrolment_job" ("employer_id", "created_at" desc);`,
    );
    this.addSql(
      `create table ${S}."enrolment_rejection" (
  "id" uuid primary key,
  "job_id" uuid not null references ${S}."enrolment_job" ("id") on delete cascade,
  "line" int not null,
  "field" text not null,
  "reason_it" text not null,
  "reason_en" text not null
);`,
    );
    this.addSql(
      `create index "enrolment_rejection_job_line_idx" on ${S}."enrolment_rejection" ("job_id", "line");`,
    );
    this.addSql(
      `create unlogged table ${S}."enrolment_staging_row" (
  "job_id" uuid not null references ${S}."enrolment_job" ("id") on delete cascade,
  "line" int not null,
  "fiscal_code" text not null,
  "given_name" text not null,
  "family_name" text not null,
  "email" text null,
  "category_code" text not null,
  "start_date" date not null,
  "end_date" date null,
  "dependent_children" smallint not null,
  primary key ("job_id", "line")
);`,
    );
    this.addSql(
      `create table ${S}."employee_invitation" (
  "id" uuid primary key,
  "employee_id" uuid not null references ${S}."employee" ("id") on delete cascade,
  "employer_id" uuid not null,
  "recipient" text not null,
  "subject" text not null,
  "body" text not null,
  "status" text not null default 'PENDING',
  "attempts" int not null default 0,
  "next_attempt_at" timestamptz not null default now(),
  "last_error" text null,
  "sent_at" timestamptz null,
  "created_at" timestamptz not null default now(),
  constraint "employee_invitation_employee_key" unique ("employee_id"),
  constraint "employee_invitation_status_check" check ("status" in ('PENDING', 'SENT', 'FAILED'))
);`,
    );
    this.addSql(
      `create index "employee_invitation_due_idx" on ${S}."employee_invitation" ("next_attempt_at") where "status" = 'PENDING';`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."employee_invitation";`);
    this.addSql(`drop table if exists ${S}."enrolment_staging_row";`);
    this.addSql(`drop table if exists ${S}."enrolment_rejection";`);
    this.addSql(`drop table if exists ${S}."enrolment_job";`);
  }
}
