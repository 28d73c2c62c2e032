import { Migration } from '@mikro-orm/migrations';

/**
 * Reimbursement by payment leg (hand-written). A payment spends the card's credit of one or more
 * campaigns: each leg is a PAYMENT transfer into the shop account of the merchant's accreditation
 * for THAT campaign, which need not be the accreditation of the till. A batch of a campaign now
 * takes the legs that credited its accreditations' shop accounts, so one payment may be in two
 * campaigns' batches, once per accreditation:
 * - `reimbursement_payment.accreditation_id` (the accreditation whose shop account the leg(s)
 *   credited; backfilled from the row's line, which was the till's accreditation), NOT NULL, with
 *   a foreign key to `shop_accreditation`;
 * - the primary key becomes (`payment_id`, `accreditation_id`): a leg is in at most one batch.
 * The void guard (`payment_void_guard`) checks that some row exists for the payment: still right.
 * down() restores the key on `payment_id` alone, and is refused by PostgreSQL while a payment is
 * in the batches of two accreditations (the duplicate key), rather than losing one of them.
 */
export class Migration20261205130000_reimbursement_legs extends Migration {
  override up(): void {
    this.addSql(
      `alter table "public_welfare"."reimbursement_payment" add column "accreditation_id" uuid null;`,
    );
    this.addSql(`update "public_welfare"."reimbursement_payment" r
  set "accreditation_id" = l."accreditation_id"
  from "public_welfare"."reimbursement_line" l
  where l."id" = r."line_id";`);
    this.addSql(
      `alter table "public_welfare"."reimbursement_payment" alter column "accreditation_id" set not null;`,
    );
    this.addSql(`alter table "public_welfare"."reimbursement_payment"
  add constraint "reimbursement_payment_accreditation_fkey" foreign key ("accreditation_id") references "public_welfare"."shop_accreditation" ("id");`);
    this.addSql(
      `alter table "public_welfare"."reimbursement_payment" drop constraint "reimbursement_payment_pkey";`,
    );
    this.addSql(`alter table "public_welfare"."reimbursement_payment"
  add constraint "reimbursement_payment_pkey" primary key ("payment_id", "accreditation_id");`);
  }

  override down(): void {
    this.addSql(
      `alter table "public_welfare"."reimbursement_payment" drop constraint "reimbursement_payment_pkey";`,
    );
    this.addSql(`alter table "public_welfare"."reimbursement_payment"
  add constraint "reimbursement_payment_pkey" primary key ("payment_id");`);
    this.addSql(
      `alter table "public_welfare"."reimbursement_payment" drop constraint if exists "reimbursement_payment_accreditation_fkey";`,
    );
    this.addSql(
      `alter table "public_welfare"."reimbursement_payment" drop column if exists "accreditation_id";`,
    );
  }
}
