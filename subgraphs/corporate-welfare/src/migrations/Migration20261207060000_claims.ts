import { Migration } from '@mikro-orm/migrations';

const S = '"corporate_welfare"';

/**
 * Reimbursement claims (art. 51 c.2 d-bis, f-bis, f-ter TUIR): an employee's documented expense
 * for themselves or a family member, with its receipts, decided by the employer's HR. The money
 * (employee credit to the plan's payroll account) is in the book; a claim holds the transfer's id.
 */
export class Migration20261207060000_claims extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."claim" (
  "id" uuid primary key,
  "employer_id" uuid not null,
  "plan_id" uuid not null references ${S}."plan" ("id"),
  "employee_id" uuid not null references ${S}."employee" ("id"),
  "purpose" text not null,
  "beneficiary_name" text not null,
  "beneficiary_fiscal_code" text not null,
  "relationship" text not null,
  "beneficiary_birth_date" date null,
  "beneficiary_dependent" boolean not null default false,
  "expense_date" date not null,
  "description" text not null,
  "amount_cents" bigint not null,
  "status" text not null default 'SUBMITTED',
  "rejection_reason" text null,
  "decided_by" uuid null,
  "decided_at" timestamptz null,
  "transfer_id" uuid null,
  "filed_by" uuid not null,
  "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now(),
  "version" int not null default 1,
  constraint "claim_purpose_check" check ("purpose" in ('EDUCATION_CHILDCARE', 'ELDERLY_CARE', 'PUBLIC_TRANSPORT')),
  constraint "claim_relationship_check" check ("relationship" in ('SELF', 'SPOUSE', 'CHILD', 'PARENT', 'SIBLING', 'OTHER_RELATIVE')),
  constraint "claim_beneficiary_name_check" check (length(btrim("beneficiary_name")) between 2 and 200),
  constraint "claim_beneficiary_fiscal_code_check" check ("beneficiary_fiscal_code" ~ '^[A-Z0-9]{16}$'),
  constraint "claim_description_check" check (length(btrim("description")) between 3 and 1000),
  constraint "claim_amount_check" check ("amount_cents" between 1 and 100000000),
  constraint "claim_status_check" check ("status" in ('SUBMITTED', 'APPROVED', 'REJECTED')),
  constraint "claim_decision_check" check (
    ("status" = 'SUBMITTED' and "decided_at" is null and "decided_by" is null and "transfer_id" is null and "rejection_reason" is null)
    or ("status" = 'APPROVED' and "decided_at" is not null and "decided_by" is not null and "transfer_id" is not null and "rejection_reason" is null)
    or ("status" = 'REJECTED' and "decided_at" is not null and "decided_by" is not null and "transfer_id" is null
      and length(btrim("rejection_reason")) between 3 and 1000)
  )
);`,
    );
    this.addSql(
      `create index "claim_employer_idx" on ${S}."claim" ("employer_id", "status", "created_at");`,
    );
    this.addSql(`create index "claim_employee_idx" on ${S}."claim" ("employee_id", "created_at");`);
    this.addSql(
      `create index "claim_paid_idx" on ${S}."claim" ("employer_id", "decided_at") where "status" = 'APPROVED';`,
    );
    this.addSql(
      `create table ${S}."claim_receipt" (
  "id" uuid primary key,
  "claim_id" uuid not null references ${S}."claim" ("id") on delete cascade,
  "position" smallint not null,
  "file_name" text not null,
  "content_type" text not null,
  "size_bytes" int not null,
  "sha256" text not null,
  "content" bytea not null,
  "created_at" timestamptz not null default now(),
  constraint "claim_receipt_file_name_check" check (length(btrim("file_name")) between 1 and 200),
  constraint "claim_receipt_content_type_check" check ("content_type" in ('application/pdf', 'image/jpeg', 'image/png')),
  constraint "claim_receipt_size_check" check ("size_bytes" = octet_length("content") and "size_bytes" > 0),
  constraint "claim_receipt_position_key" unique ("claim_id", "position")
);`,
    );
    this.addSql(`create index "claim_receipt_claim_idx" on ${S}."claim_receipt" ("claim_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."claim_receipt";`);
    this.addSql(`drop table if exists ${S}."claim";`);
  }
}
