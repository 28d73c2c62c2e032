import { Migration } from '@mikro-orm/migrations';

const S = '"payments"';

/**
 * The payments subgraph's first tables: providers' Stripe accounts, card payments and their
 * refunds, Stripe events received (each applied once), reconciliation runs and their mismatches.
 * Written by hand, with the rules the database keeps whatever the code does.
 */
export class Migration20261206190643_init extends Migration {
  override up(): void {
    this.addSql(`create schema if not exists ${S};`);
    this.addSql(
      `create table ${S}."provider_account" (
        "organisation_id" uuid not null,
        "stripe_account_id" text not null,
        "charges_enabled" boolean not null default false,
        "details_submitted" boolean not null default false,
        "created_by" uuid not null,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now(),
        constraint "provider_account_pkey" primary key ("organisation_id"),
        constraint "provider_account_stripe_account_id_key" unique ("stripe_account_id"),
        constraint "provider_account_stripe_account_id_check" check ("stripe_account_id" ~ '^acct_[A-Za-z0-9]+$')
      );`,
    );
    this.addSql(
      `create table ${S}."card_payment" (
        "id" uuid not null,
        "organisation_id" uuid not null,
        "stripe_account_id" text not null,
        "amount" bigint not null,
        "application_fee" bigint not null default 0,
        "currency" text not null default 'eur',
        "description" text not null,
        "status" text not null,
        "checkout_session_id" text null,
        "payment_intent_id" text null,
        "charge_id" text null,
        "checkout_url" text null,
        "captured_amount" bigint not null default 0,
        "refunded_amount" bigint not null default 0,
        "failure_code" text null,
        "expires_at" timestamptz not null,
        "captured_at" timestamptz null,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now(),
        constraint "card_payment_pkey" primary key ("id"),
        constraint "card_payment_checkout_session_id_key" unique ("checkout_session_id"),
        constraint "card_payment_payment_intent_id_key" unique ("payment_intent_id"),
        constraint "card_payment_amount_check" check ("amount" > 0),
        constraint "card_payment_fee_check" check ("application_fee" >= 0 and "application_fee" <= "amount"),
        constraint "card_payment_currency_check" check ("currency" = 'eur'),
        constraint "card_payment_status_check" check ("status" in ('CREATING', 'OPEN', 'AUTHORIZED', 'CAPTURED', 'CANCELED', 'EXPIRED', 'FAILED')),
        constraint "card_payment_captured_check" check ("captured_amount" >= 0 and "captured_amount" <= "amount"),
        constraint "card_payment_refunded_check" check ("refunded_amount" >= 0 and "refunded_amount" <= "captured_amount")
      );`,
    );
    this.addSql(
      `create index "card_payment_account_captured_idx" on ${S}."card_payment" ("stripe_account_id", "captured_at");`,
    );
    this.addSql(
      `create table ${S}."card_refund" (
        "id" uuid not null,
        "card_payment_id" uuid not null,
        "amount" bigint not null,
        "status" text not null,
        "stripe_refund_id" text null,
        "created_at" timestamptz not null default now(),
        constraint "card_refund_pkey" primary key ("id"),
        constraint "card_refund_card_payment_id_fkey" foreign key ("card_payment_id") references ${S}."card_payment" ("id"),
        constraint "card_refund_stripe_refund_id_key" unique ("stripe_refund_id"),
        constraint "card_refund_amount_check" check ("amount" > 0),
        constraint "card_refund_status_check" check ("status" in ('REQUESTED', 'SUCCEEDED', 'FAILED'))
      );`,
    );
    this.addSql(
      `create index "card_refund_card_payment_idx" on ${S}."card_refund" ("card_payment_id");`,
    );
    this.addSql(
      `create table ${S}."stripe_event" (
        "id" text not null,
        "type" text not null,
        "account" text null,
        "deliveries" int not null default 1,
        "received_at" timestamptz not null default now(),
        "last_received_at" timestamptz not null default now(),
        constraint "stripe_event_pkey" primary key ("id"),
        constraint "stripe_event_id_check" check ("id" ~ '^evt_[A-Za-z0-9_]+$')
      );`,
    );
    this.addSql(
      `create table ${S}."reconciliation_run" (
        "id" uuid not null,
        "started_at" timestamptz not null default now(),
        "finished_at" timestamptz null,
        "window_start" timestamptz not null,
        "balance_transactions" int not null default 0,
        "card_payments" int not null default 0,
        "mismatches" int not null default 0,
        constraint "reconciliation_run_pkey" primary key ("id")
      );`,
    );
    this.addSql(
      `create index "reconciliation_run_started_idx" on ${S}."reconciliation_run" ("started_at" desc);`,
    );
    this.addSql(
      `create table ${S}."reconciliation_mismatch" (
        "id" uuid not null,
        "run_id" uuid not null,
        "kind" text not null,
        "stripe_account_id" text not null,
        "balance_transaction_id" text null,
        "source_id" text null,
        "card_payment_id" uuid null,
        "card_refund_id" uuid null,
        "stripe_amount" bigint null,
        "our_amount" bigint null,
        constraint "reconciliation_mismatch_pkey" primary key ("id"),
        constraint "reconciliation_mismatch_run_id_fkey" foreign key ("run_id") references ${S}."reconciliation_run" ("id") on delete cascade,
        constraint "reconciliation_mismatch_kind_check" check ("kind" in ('MISSING_HERE', 'MISSING_AT_STRIPE', 'AMOUNT_DIFFERS'))
      );`,
    );
    this.addSql(
      `create index "reconciliation_mismatch_run_idx" on ${S}."reconciliation_mismatch" ("run_id");`,
    );
  }

  override down(): void {
    for (const table of [
      'reconciliation_mismatch',
      'reconciliation_run',
      'stripe_event',
      'card_refund',
      'card_payment',
      'provider_account',
    ]) {
      this.addSql(`drop table if exists ${S}."${table}";`);
    }
  }
}
