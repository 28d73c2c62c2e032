import { Migration } from '@mikro-orm/migrations';

const S = '"payments"';

/**
 * pagoPA notices (issue 15, item 6): notices a Comune issues to a debtor, with the IUV and the
 * 18-digit notice number (codes in modules/pagopa/notice-code.ts), marked paid from the Comune's
 * uploaded Flusso di Rendicontazione. The database keeps:
 * - a positive amount, well-formed codes (17-digit IUV, 18-digit notice number starting with the
 *   aux digit 3 then the IUV);
 * - one IUV per creditor (the creditor's codice fiscale and the IUV identify a payment in pagoPA)
 *   and one notice number per creditor;
 * - a PAID notice carries when, how much, the PSP and the IUR; a CANCELLED one when.
 * `pagopa_creditor` holds each creditor's IUV sequence: issuing takes the next number with one
 * upsert (`... returning`), which locks the creditor's row until the notice is committed, so
 * concurrent issues never share a number.
 */
export class Migration20261206220000_pagopa extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."pagopa_creditor" (
  "fiscal_code" text primary key check ("fiscal_code" ~ '^[0-9]{11}$'),
  "last_iuv_base" bigint not null check ("last_iuv_base" between 1 and 9999999999999)
);`,
    );
    this.addSql(
      `create table ${S}."pagopa_notice" (
  "id" uuid primary key,
  "comune_id" uuid not null,
  "creditor_fiscal_code" text not null check ("creditor_fiscal_code" ~ '^[0-9]{11}$'),
  "creditor_name" text not null check (length("creditor_name") between 1 and 200),
  "debtor_fiscal_code" text not null check ("debtor_fiscal_code" ~ '^([A-Z0-9]{16}|[0-9]{11})$'),
  "debtor_name" text not null check (length("debtor_name") between 1 and 70),
  "reason" text not null check (length("reason") between 1 and 140),
  "amount_cents" bigint not null check ("amount_cents" > 0 and "amount_cents" <= 9999999999),
  "due_date" date not null,
  "segregation_code" text not null check ("segregation_code" ~ '^[0-9]{2}$'),
  "iuv" text not null check ("iuv" ~ '^[0-9]{17}$'),
  "notice_number" text not null check ("notice_number" ~ '^3[0-9]{17}$' and substr("notice_number", 2) = "iuv"),
  "status" text not null default 'UNPAID' check ("status" in ('UNPAID', 'PAID', 'CANCELLED')),
  "paid_at" date null,
  "paid_amount_cents" bigint null,
  "psp" text null,
  "iur" text null,
  "flow_id" text null,
  "cancelled_at" timestamptz null,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  constraint "pagopa_notice_iuv_unique" unique ("creditor_fiscal_code", "iuv"),
  constraint "pagopa_notice_number_unique" unique ("creditor_fiscal_code", "notice_number"),
  constraint "pagopa_notice_paid_check" check ("status" <> 'PAID' or ("paid_at" is not null and "paid_amount_cents" is not null and "psp" is not null and "iur" is not null)),
  constraint "pagopa_notice_cancelled_check" check ("status" <> 'CANCELLED' or "cancelled_at" is not null)
);`,
    );
    this.addSql(
      `create index "pagopa_notice_comune_idx" on ${S}."pagopa_notice" ("comune_id", "created_at" desc);`,
    );
    this.addSql(
      `create index "pagopa_notice_debtor_idx" on ${S}."pagopa_notice" ("debtor_fiscal_code", "created_at" desc);`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."pagopa_notice";`);
    this.addSql(`drop table if exists ${S}."pagopa_creditor";`);
  }
}
