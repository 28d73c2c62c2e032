import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';
const T = `${S}."offer_booking"`;

/** Payment statuses where the booking is paid on the platform (it has a time to pay). */
const PLATFORM = `('PAYMENT_DUE', 'PAYMENT_IN_PROGRESS', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'UNPAID')`;
/** Payment statuses where a checkout paid it. */
const PAID = `('PAID', 'PARTIALLY_REFUNDED', 'REFUNDED')`;

/**
 * Priced offer bookings paid on the platform, through the payable contract (`@welfare/kit/
 * contracts`, called by the payments subgraph only). Hand-written.
 *
 * A new priced booking is PAYMENT_DUE until `pay_by`; a checkout `begin`s it (PAYMENT_IN_PROGRESS,
 * with `checkout_id` and `checkout_until`) and `complete`s it (PAID, `paid_at`); refunds are kept
 * per refund id in `offer_booking_refund` and summed in `refunded_cents` (PARTIALLY_REFUNDED,
 * REFUNDED). A booking not paid by `pay_by` lapses: status EXPIRED, payment UNPAID, its place
 * freed (EXPIRED is not an active status, so the capacity trigger and the one-active index
 * ignore it). A booking cancelled or declined before it was paid is UNPAID too.
 *
 * Existing bookings keep their status: TO_BE_PAID_AT_PROVIDER stays what it was (paid at the
 * provider, no `pay_by`); only bookings made from now on are paid on the platform. The CHECKs
 * below keep every column consistent with the payment status.
 */
export class Migration20261206190000_offer_booking_payable extends Migration {
  override up(): void {
    this.addSql(`alter table ${T}
  add column "pay_by" timestamptz null,
  add column "checkout_id" uuid null,
  add column "checkout_until" timestamptz null,
  add column "paid_at" timestamptz null,
  add column "refunded_cents" bigint not null default 0;`);
    this.addSql(`alter table ${T} drop constraint "offer_booking_payment_check";`);
    this.addSql(`alter table ${T} drop constraint "offer_booking_status_check";`);
    this.addSql(
      `alter table ${T} add constraint "offer_booking_status_check" check ("status" in ('REQUESTED', 'CONFIRMED', 'DECLINED', 'CANCELLED', 'EXPIRED'));`,
    );
    this.addSql(`alter table ${T} add constraint "offer_booking_payment_check" check (
  "payment_status" in ('NOT_DUE', 'TO_BE_PAID_AT_PROVIDER', 'PAYMENT_DUE', 'PAYMENT_IN_PROGRESS', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'UNPAID')
  and (("payment_status" = 'NOT_DUE') = ("price_kind" = 'FREE'))
  and (("payment_status" in ${PLATFORM}) = ("pay_by" is not null))
  and (("payment_status" in ('PAYMENT_IN_PROGRESS', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED')) = ("checkout_id" is not null))
  and (("payment_status" = 'PAYMENT_IN_PROGRESS') = ("checkout_until" is not null))
  and (("payment_status" in ${PAID}) = ("paid_at" is not null))
);`);
    this.addSql(`alter table ${T} add constraint "offer_booking_refund_check" check (
  "refunded_cents" between 0 and "amount_due_cents"
  and ("payment_status" <> 'PARTIALLY_REFUNDED' or ("refunded_cents" > 0 and "refunded_cents" < "amount_due_cents"))
  and ("payment_status" <> 'REFUNDED' or "refunded_cents" = "amount_due_cents")
  and ("payment_status" in ('PARTIALLY_REFUNDED', 'REFUNDED') or "refunded_cents" = 0)
);`);
    // What is being paid holds its place; what lapsed or was never paid holds nothing.
    this.addSql(`alter table ${T} add constraint "offer_booking_payment_status_check" check (
  ("payment_status" not in ('PAYMENT_DUE', 'PAYMENT_IN_PROGRESS') or "status" in ('REQUESTED', 'CONFIRMED'))
  and ("status" <> 'EXPIRED' or "payment_status" = 'UNPAID')
  and ("payment_status" <> 'UNPAID' or "status" in ('DECLINED', 'CANCELLED', 'EXPIRED'))
);`);
    this.addSql(
      `create index "offer_booking_pay_by_index" on ${T} ("pay_by") where "payment_status" in ('PAYMENT_DUE', 'PAYMENT_IN_PROGRESS');`,
    );
    this.addSql(`create table ${S}."offer_booking_refund" (
  "id" uuid not null,
  "booking_id" uuid not null,
  "checkout_id" uuid not null,
  "amount_cents" bigint not null,
  "cancel" boolean not null,
  "created_at" timestamptz not null default now(),
  constraint "offer_booking_refund_pkey" primary key ("id"),
  constraint "offer_booking_refund_booking_fkey" foreign key ("booking_id") references ${T} ("id"),
  constraint "offer_booking_refund_amount_check" check ("amount_cents" >= 1)
);`);
    this.addSql(
      `create index "offer_booking_refund_booking_index" on ${S}."offer_booking_refund" ("booking_id");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."offer_booking_refund";`);
    this.addSql(`drop index if exists ${S}."offer_booking_pay_by_index";`);
    this.addSql(`alter table ${T} drop constraint "offer_booking_payment_status_check";`);
    this.addSql(`alter table ${T} drop constraint "offer_booking_refund_check";`);
    this.addSql(`alter table ${T} drop constraint "offer_booking_payment_check";`);
    this.addSql(`alter table ${T} drop constraint "offer_booking_status_check";`);
    this.addSql(
      `alter table ${T} add constraint "offer_booking_status_check" check ("status" in ('REQUESTED', 'CONFIRMED', 'DECLINED', 'CANCELLED'));`,
    );
    this.addSql(
      `alter table ${T} add constraint "offer_booking_payment_check" check ("payment_status" in ('NOT_DUE', 'TO_BE_PAID_AT_PROVIDER') and (("payment_status" = 'NOT_DUE') = ("price_kind" = 'FREE')));`,
    );
    this.addSql(`alter table ${T}
  drop column "pay_by", drop column "checkout_id", drop column "checkout_until",
  drop column "paid_at", drop column "refunded_cents";`);
  }
}
