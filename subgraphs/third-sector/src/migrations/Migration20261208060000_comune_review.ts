import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';

/**
 * The Comune's hand on its catalogue. `accreditation_tariff`: the maximum price per offer
 * category and kind of price in the Comune's accreditation call (integer cents per hour, session
 * or package, bounded like an offer's price). On `offer`: a withdrawal by the Comune with its
 * reason, and the provider's request to publish it again (the Comune reinstates).
 * Hand-written.
 */
export class Migration20261208060000_comune_review extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."accreditation_tariff" (
  "id" uuid not null,
  "comune_id" uuid not null,
  "category" text not null,
  "price_kind" text not null,
  "max_price_cents" int not null,
  "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now(),
  constraint "accreditation_tariff_pkey" primary key ("id"),
  constraint "accreditation_tariff_unique" unique ("comune_id", "category", "price_kind"),
  constraint "accreditation_tariff_kind_check" check ("price_kind" in ('PER_HOUR', 'PER_SESSION', 'PER_PACKAGE')),
  constraint "accreditation_tariff_price_check" check ("max_price_cents" between 1 and 10000000));`);
    this.addSql(`alter table ${S}."offer"
  add column "withdrawn_by_comune" boolean not null default false,
  add column "withdrawal_reason" text null,
  add column "republish_requested_at" timestamptz null,
  add constraint "offer_withdrawal_reason_check" check (
    ("withdrawal_reason" is null or char_length("withdrawal_reason") between 5 and 1000)
    and (not "withdrawn_by_comune" or ("status" = 'WITHDRAWN' and "withdrawal_reason" is not null))
    and ("republish_requested_at" is null or "withdrawn_by_comune"));`);
  }

  override down(): void {
    this.addSql(`alter table ${S}."offer" drop constraint "offer_withdrawal_reason_check",
  drop column "withdrawn_by_comune", drop column "withdrawal_reason", drop column "republish_requested_at";`);
    this.addSql(`drop table if exists ${S}."accreditation_tariff";`);
  }
}
