import { Migration } from '@mikro-orm/migrations';

/**
 * Reimbursements of shops (hand-written: keys, checks and triggers the code also relies on).
 * - `payment_misuse`: the payments flagged as misuse now (one row per flagged payment), and
 *   `payment_misuse_event`: every flag and clearance with its reason, append-only (triggers refuse
 *   UPDATE, DELETE and TRUNCATE).
 * - `reimbursement_batch` (DRAFT → APPROVED → PAID, or DRAFT → DISCARDED with who, when and why),
 *   its `reimbursement_line`s (one per shop; kept when a batch is discarded, as the record of what
 *   was proposed) and `reimbursement_payment` (the payments a line pays: the primary key on
 *   `payment_id` keeps a payment in at most one batch; a discarded batch's rows are deleted, which
 *   frees its payments).
 * - A guard on `payment`: a payment in a batch cannot be voided any more.
 */
export class Migration20261124140000_reimbursements extends Migration {
  // Long because it is one migration's DDL, read top to bottom.
  override up(): void {
    this.addSql(`create table "public_welfare"."payment_misuse" (
  "payment_id" uuid not null,
  "comune_id" uuid not null,
  "reason" text not null,
  "flagged_by" uuid not null,
  "flagged_at" timestamptz not null default now(),
  constraint "payment_misuse_pkey" primary key ("payment_id"),
  constraint "payment_misuse_payment_fkey" foreign key ("payment_id") references "public_welfare"."payment" ("id"),
  constraint "payment_misuse_reason_check" check (length(btrim("reason")) between 3 and 500)
);`);
    this.addSql(`create table "public_welfare"."payment_misuse_event" (
  "id" uuid not null,
  "seq" bigint generated always as identity,
  "payment_id" uuid not null,
  "comune_id" uuid not null,
  "action" text not null,
  "reason" text not null,
  "actor_id" uuid not null,
  "at" timestamptz not null default now(),
  constraint "payment_misuse_event_pkey" primary key ("id"),
  constraint "payment_misuse_event_payment_fkey" foreign key ("payment_id") references "public_welfare"."payment" ("id"),
  constraint "payment_misuse_event_action_check" check ("action" in ('FLAG', 'CLEAR')),
  constraint "payment_misuse_event_reason_check" check (length(btrim("reason")) between 3 and 500)
);`);
    this.addSql(
      `create index "payment_misuse_event_payment_index" on "public_welfare"."payment_misuse_event" ("payment_id", "seq");`,
    );
    this
      .addSql(`create or replace function "public_welfare"."payment_misuse_event_refuse"() returns trigger
language plpgsql as $$
begin
  raise exception 'payment_misuse_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;`);
    this
      .addSql(`create trigger "payment_misuse_event_no_update_delete" before update or delete on "public_welfare"."payment_misuse_event"
for each row execute function "public_welfare"."payment_misuse_event_refuse"();`);
    this
      .addSql(`create trigger "payment_misuse_event_no_truncate" before truncate on "public_welfare"."payment_misuse_event"
for each statement execute function "public_welfare"."payment_misuse_event_refuse"();`);

    this.addSql(`create table "public_welfare"."reimbursement_batch" (
  "id" uuid not null,
  "comune_id" uuid not null,
  "campaign_id" uuid not null,
  "cut_off" date not null,
  "status" text not null default 'DRAFT',
  "debtor_name" text not null,
  "debtor_iban" text not null,
  "debtor_bic" text null,
  "total_cents" bigint not null,
  "payment_count" int not null,
  "line_count" int not null,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  "approved_by" uuid null,
  "approved_at" timestamptz null,
  "paid_by" uuid null,
  "paid_at" timestamptz null,
  "bank_date" date null,
  "bank_reference" text null,
  "discarded_by" uuid null,
  "discarded_at" timestamptz null,
  "discard_reason" text null,
  constraint "reimbursement_batch_pkey" primary key ("id"),
  constraint "reimbursement_batch_campaign_fkey" foreign key ("campaign_id") references "public_welfare"."campaign" ("id"),
  constraint "reimbursement_batch_status_check" check ("status" in ('DRAFT', 'APPROVED', 'PAID', 'DISCARDED')),
  constraint "reimbursement_batch_debtor_name_check" check (length(btrim("debtor_name")) between 1 and 70),
  constraint "reimbursement_batch_debtor_iban_check" check ("debtor_iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  constraint "reimbursement_batch_debtor_bic_check" check ("debtor_bic" is null or "debtor_bic" ~ '^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$'),
  constraint "reimbursement_batch_totals_check" check ("total_cents" > 0 and "payment_count" > 0 and "line_count" > 0),
  constraint "reimbursement_batch_approved_check" check (("status" in ('DRAFT', 'DISCARDED')) = ("approved_at" is null) and ("approved_at" is null) = ("approved_by" is null)),
  constraint "reimbursement_batch_paid_check" check (("status" = 'PAID') = ("paid_at" is not null) and ("paid_at" is null) = ("paid_by" is null) and ("paid_at" is null) = ("bank_date" is null) and ("paid_at" is null) = ("bank_reference" is null)),
  constraint "reimbursement_batch_bank_reference_check" check ("bank_reference" is null or length(btrim("bank_reference")) between 1 and 100),
  constraint "reimbursement_batch_discarded_check" check (("status" = 'DISCARDED') = ("discarded_at" is not null) and ("discarded_at" is null) = ("discarded_by" is null) and ("discarded_at" is null) = ("discard_reason" is null)),
  constraint "reimbursement_batch_discard_reason_check" check ("discard_reason" is null or length(btrim("discard_reason")) between 3 and 500)
);`);
    this.addSql(
      `create index "reimbursement_batch_comune_index" on "public_welfare"."reimbursement_batch" ("comune_id", "created_at");`,
    );
    this.addSql(`create table "public_welfare"."reimbursement_line" (
  "id" uuid not null,
  "batch_id" uuid not null,
  "accreditation_id" uuid not null,
  "business_name" text not null,
  "iban" text not null,
  "amount_cents" bigint not null,
  "payment_count" int not null,
  "period_from" date not null,
  "period_to" date not null,
  constraint "reimbursement_line_pkey" primary key ("id"),
  constraint "reimbursement_line_batch_fkey" foreign key ("batch_id") references "public_welfare"."reimbursement_batch" ("id"),
  constraint "reimbursement_line_accreditation_fkey" foreign key ("accreditation_id") references "public_welfare"."shop_accreditation" ("id"),
  constraint "reimbursement_line_shop_unique" unique ("batch_id", "accreditation_id"),
  constraint "reimbursement_line_amount_check" check ("amount_cents" > 0 and "payment_count" > 0),
  constraint "reimbursement_line_period_check" check ("period_from" <= "period_to"),
  constraint "reimbursement_line_iban_check" check ("iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$')
);`);
    this.addSql(`create table "public_welfare"."reimbursement_payment" (
  "payment_id" uuid not null,
  "batch_id" uuid not null,
  "line_id" uuid not null,
  "amount_cents" bigint not null,
  constraint "reimbursement_payment_pkey" primary key ("payment_id"),
  constraint "reimbursement_payment_payment_fkey" foreign key ("payment_id") references "public_welfare"."payment" ("id"),
  constraint "reimbursement_payment_batch_fkey" foreign key ("batch_id") references "public_welfare"."reimbursement_batch" ("id"),
  constraint "reimbursement_payment_line_fkey" foreign key ("line_id") references "public_welfare"."reimbursement_line" ("id"),
  constraint "reimbursement_payment_amount_check" check ("amount_cents" > 0)
);`);
    this.addSql(
      `create index "reimbursement_payment_line_index" on "public_welfare"."reimbursement_payment" ("line_id");`,
    );
    this.addSql(
      `create index "reimbursement_payment_batch_index" on "public_welfare"."reimbursement_payment" ("batch_id");`,
    );
    // A payment in a batch is being reimbursed: it may not be voided any more.
    this.addSql(`create or replace function "public_welfare"."payment_void_guard"() returns trigger
language plpgsql as $$
begin
  if new."status" = 'VOIDED' and old."status" <> 'VOIDED' and exists (
    select 1 from "public_welfare"."reimbursement_payment" r where r."payment_id" = new."id"
  ) then
    raise exception 'payment % is in a reimbursement batch: it cannot be voided', new."id" using errcode = 'check_violation';
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger "payment_void_guard" before update on "public_welfare"."payment"
for each row execute function "public_welfare"."payment_void_guard"();`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists "payment_void_guard" on "public_welfare"."payment";`);
    this.addSql(`drop function if exists "public_welfare"."payment_void_guard"() cascade;`);
    this.addSql(`drop table if exists "public_welfare"."reimbursement_payment" cascade;`);
    this.addSql(`drop table if exists "public_welfare"."reimbursement_line" cascade;`);
    this.addSql(`drop table if exists "public_welfare"."reimbursement_batch" cascade;`);
    this.addSql(`drop table if exists "public_welfare"."payment_misuse_event" cascade;`);
    this.addSql(
      `drop function if exists "public_welfare"."payment_misuse_event_refuse"() cascade;`,
    );
    this.addSql(`drop table if exists "public_welfare"."payment_misuse" cascade;`);
  }
}
