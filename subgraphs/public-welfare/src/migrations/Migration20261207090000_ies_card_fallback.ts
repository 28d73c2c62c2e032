import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * The card's fallback (issue 17, item 5): the part of a card payment paid with the holder's IES
 * (held in the ies-circuit subgraph's book, not here). Hand-written.
 *
 * - `ies_cents`: the IES part of the payment (0: voucher credit only); `amount_cents` is the whole
 *   sale, so the voucher part is `amount_cents - ies_cents`.
 * - `ies_transfer_id`: ies-circuit's transfer (the hold) that moves the IES to the shop's wallet.
 * - `ies_status`: HELD (the voucher part committed, the hold not yet known captured: the recovery
 *   job captures it) or CAPTURED; EXPIRED when the hold lapsed before a capture (reported).
 * - `payment_transfers_check` now lets a payment wholly paid with IES list no voucher transfer.
 */
export class Migration20261207090000_ies_card_fallback extends Migration {
  override up(): void {
    this.addSql(`alter table ${S}."payment"
  add column "ies_cents" bigint not null default 0,
  add column "ies_transfer_id" uuid null,
  add column "ies_status" text null,
  add constraint "payment_ies_check" check (
    "ies_cents" >= 0 and "ies_cents" <= "amount_cents"
    and (("ies_cents" = 0 and "ies_status" is null and "ies_transfer_id" is null)
      or ("ies_cents" > 0 and "ies_status" in ('HELD', 'CAPTURED', 'EXPIRED')
          and "ies_transfer_id" is not null))
  );`);
    this.addSql(`create index "payment_ies_held_idx" on ${S}."payment" ("created_at")
  where "ies_status" = 'HELD';`);
    this.addSql(`alter table ${S}."payment"
  drop constraint "payment_transfers_check",
  add constraint "payment_transfers_check" check (
    jsonb_typeof("transfer_ids") = 'array'
    and (jsonb_array_length("transfer_ids") >= 1 or "ies_cents" = "amount_cents")
  );`);
  }

  override down(): void {
    this.addSql(`alter table ${S}."payment"
  drop constraint "payment_transfers_check",
  add constraint "payment_transfers_check" check (
    jsonb_typeof("transfer_ids") = 'array' and jsonb_array_length("transfer_ids") >= 1
  );`);
    this.addSql(`drop index ${S}."payment_ies_held_idx";`);
    this.addSql(`alter table ${S}."payment"
  drop constraint "payment_ies_check",
  drop column "ies_status",
  drop column "ies_transfer_id",
  drop column "ies_cents";`);
  }
}
