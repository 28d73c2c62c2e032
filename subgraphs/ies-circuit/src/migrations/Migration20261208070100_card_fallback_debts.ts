import { Migration } from '@mikro-orm/migrations';

const S = '"ies_circuit"';

/**
 * The card's fallback: a sale whose IES hold lapsed before its capture (the voucher part committed,
 * the shop told "paid") is re-taken from the holder's wallet when it covers the amount; otherwise
 * the debt is recorded here for the circuit's staff (one per authorisation), and settled when a
 * later capture re-takes it.
 */
export class Migration20261208070100_card_fallback_debts extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."card_fallback_debt" (
  "authorisation_id" text primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "holder_member_id" uuid not null references ${S}."member" ("id"),
  "shop_member_id" uuid not null references ${S}."member" ("id"),
  "amount_cents" integer not null,
  "fee_cents" integer not null,
  "status" text not null default 'OPEN',
  "created_at" timestamptz not null default now(),
  "settled_at" timestamptz,
  constraint "card_fallback_debt_amounts_check" check ("amount_cents" > 0 and "fee_cents" >= 0),
  constraint "card_fallback_debt_status_check" check (
    ("status" = 'OPEN' and "settled_at" is null) or ("status" = 'SETTLED' and "settled_at" is not null))
);`);
    this.addSql(
      `create index "card_fallback_debt_circuit_idx" on ${S}."card_fallback_debt" ("circuit_id", "status", "created_at" desc);`,
    );
  }

  override down(): void {
    this.addSql(`drop table ${S}."card_fallback_debt";`);
  }
}
