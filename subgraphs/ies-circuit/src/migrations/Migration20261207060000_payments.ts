import { Migration } from '@mikro-orm/migrations';

const S = '"ies_circuit"';

/**
 * Payments between members. A payment request is what a payee (a citizen, a shop, an association)
 * shows as a QR code: with or without an amount, a short description, an expiry. A payment is one
 * member paying another, once per idempotency key (the client's uuid): its money is in the book
 * (the PAYMENT and FEE transfers, ids derived from the payment's id), this row keeps who, how much
 * and the fee, so that a retry or an unknown outcome is answered by the key.
 */
export class Migration20261207060000_payments extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."payment_request" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "payee_member_id" uuid not null references ${S}."member" ("id"),
  "amount_cents" integer,
  "description" text not null,
  "expires_at" timestamptz not null,
  "status" text not null default 'OPEN',
  "payment_id" uuid,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  constraint "payment_request_amount_check" check ("amount_cents" is null or "amount_cents" between 1 and 100000000),
  constraint "payment_request_description_check" check (length(btrim("description")) between 1 and 140),
  constraint "payment_request_status_check" check ("status" in ('OPEN', 'PAID')),
  constraint "payment_request_paid_check" check (
    ("status" = 'PAID') = ("payment_id" is not null) and ("status" <> 'PAID' or "amount_cents" is not null)
  )
);`);
    this.addSql(
      `create index "payment_request_payee_idx" on ${S}."payment_request" ("payee_member_id", "created_at" desc);`,
    );

    this.addSql(`create table ${S}."payment" (
  "id" uuid primary key,
  "idempotency_key" uuid not null,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "request_id" uuid references ${S}."payment_request" ("id"),
  "payer_member_id" uuid not null references ${S}."member" ("id"),
  "payee_member_id" uuid not null references ${S}."member" ("id"),
  "amount_cents" integer not null,
  "fee_cents" integer not null,
  "fee_payer" text not null,
  "description" text,
  "paid_by" uuid not null,
  "created_at" timestamptz not null default now(),
  constraint "payment_idempotency_key_key" unique ("idempotency_key"),
  constraint "payment_amount_check" check ("amount_cents" between 1 and 100000000),
  constraint "payment_fee_check" check ("fee_cents" >= 0 and ("fee_payer" = 'PAYER' or "fee_cents" <= "amount_cents")),
  constraint "payment_fee_payer_check" check ("fee_payer" in ('PAYER', 'PAYEE')),
  constraint "payment_members_check" check ("payer_member_id" <> "payee_member_id")
);`);
    this.addSql(
      `create index "payment_payer_idx" on ${S}."payment" ("payer_member_id", "created_at" desc);`,
    );
    this.addSql(
      `create index "payment_payee_idx" on ${S}."payment" ("payee_member_id", "created_at" desc);`,
    );
    this.addSql(`create index "payment_request_idx" on ${S}."payment" ("request_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."payment";`);
    this.addSql(`drop table if exists ${S}."payment_request";`);
  }
}
