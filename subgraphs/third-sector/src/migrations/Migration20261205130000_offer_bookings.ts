import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';

/**
 * Bookings of catalogue offers (hand-written). What is owed is computed once, at booking, and
 * checked here: `amount_due_cents = unit_price_cents × quantity` (0 and NOT_DUE for a free offer,
 * TO_BE_PAID_AT_PROVIDER otherwise: nothing is charged until the payments subgraph exists).
 * Capacity: the REQUESTED and CONFIRMED bookings of one offer on one day never exceed its
 * capacity. The service checks it under a row lock on the offer; a trigger takes the same lock
 * and checks it again, so no writer can exceed it. One active booking per citizen, offer and day;
 * an idempotency key per citizen (a replay returns the first booking).
 */
export class Migration20261205130000_offer_bookings extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."offer_booking" (
  "id" uuid not null,
  "offer_id" uuid not null,
  "provider_id" uuid not null,
  "comune_id" uuid not null,
  "offer_title" text not null,
  "citizen_person_id" uuid not null,
  "citizen_fiscal_code" text not null,
  "service_date" date not null,
  "quantity" int not null,
  "price_kind" text not null,
  "unit_price_cents" int null,
  "amount_due_cents" bigint not null,
  "payment_status" text not null,
  "status" text not null default 'REQUESTED',
  "note" text null,
  "decline_reason" text null,
  "idempotency_key" text not null,
  "decided_by" uuid null,
  "decided_at" timestamptz null,
  "cancelled_at" timestamptz null,
  "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now(),
  constraint "offer_booking_pkey" primary key ("id"),
  constraint "offer_booking_offer_fkey" foreign key ("offer_id") references ${S}."offer" ("id"),
  constraint "offer_booking_idempotency_unique" unique ("citizen_person_id", "idempotency_key"),
  constraint "offer_booking_quantity_check" check ("quantity" between 1 and 50 and ("price_kind" <> 'FREE' or "quantity" = 1)),
  constraint "offer_booking_price_kind_check" check ("price_kind" in ('FREE', 'PER_HOUR', 'PER_SESSION', 'PER_PACKAGE')),
  constraint "offer_booking_price_check" check ((("price_kind" = 'FREE') = ("unit_price_cents" is null)) and ("unit_price_cents" is null or "unit_price_cents" between 1 and 10000000)),
  constraint "offer_booking_amount_check" check ("amount_due_cents" = coalesce("unit_price_cents", 0)::bigint * "quantity"),
  constraint "offer_booking_payment_check" check ("payment_status" in ('NOT_DUE', 'TO_BE_PAID_AT_PROVIDER') and (("payment_status" = 'NOT_DUE') = ("price_kind" = 'FREE'))),
  constraint "offer_booking_status_check" check ("status" in ('REQUESTED', 'CONFIRMED', 'DECLINED', 'CANCELLED')),
  constraint "offer_booking_decline_check" check ((("status" = 'DECLINED') = ("decline_reason" is not null)) and ("decline_reason" is null or length("decline_reason") between 3 and 500)),
  constraint "offer_booking_decided_check" check (("status" <> 'REQUESTED' or "decided_at" is null) and ("status" not in ('CONFIRMED', 'DECLINED') or "decided_at" is not null) and (("decided_at" is null) = ("decided_by" is null))),
  constraint "offer_booking_cancelled_check" check (("status" = 'CANCELLED') = ("cancelled_at" is not null)),
  constraint "offer_booking_text_check" check (("note" is null or length("note") <= 1000) and length("offer_title") between 1 and 160 and "citizen_fiscal_code" ~ '^[A-Z0-9]{16}$' and length("idempotency_key") between 8 and 100),
  constraint "offer_booking_not_self_check" check ("provider_id" <> "comune_id")
);`);
    this.addSql(
      `create unique index "offer_booking_one_active_unique" on ${S}."offer_booking" ("offer_id", "service_date", "citizen_person_id") where "status" in ('REQUESTED', 'CONFIRMED');`,
    );
    this.addSql(
      `create index "offer_booking_capacity_index" on ${S}."offer_booking" ("offer_id", "service_date") where "status" in ('REQUESTED', 'CONFIRMED');`,
    );
    this.addSql(
      `create index "offer_booking_provider_index" on ${S}."offer_booking" ("provider_id", "service_date");`,
    );
    this.addSql(
      `create index "offer_booking_citizen_index" on ${S}."offer_booking" ("citizen_person_id", "service_date");`,
    );
    // The capacity guard: serialised by the offer's row lock (the same lock the service takes).
    this
      .addSql(`create function ${S}."offer_booking_capacity_guard"() returns trigger language plpgsql as $$
declare
  cap int;
  taken int;
begin
  if new."status" not in ('REQUESTED', 'CONFIRMED') then
    return new;
  end if;
  if tg_op = 'UPDATE' and old."status" in ('REQUESTED', 'CONFIRMED')
     and old."offer_id" = new."offer_id" and old."service_date" = new."service_date" then
    return new;
  end if;
  select "capacity" into cap from ${S}."offer" where "id" = new."offer_id" for update;
  select count(*) into taken from ${S}."offer_booking"
   where "offer_id" = new."offer_id" and "service_date" = new."service_date"
     and "status" in ('REQUESTED', 'CONFIRMED') and "id" <> new."id";
  if taken >= cap then
    raise exception 'offer_booking_capacity: offer % is full on %', new."offer_id", new."service_date"
      using errcode = 'check_violation';
  end if;
  return new;
end $$;`);
    this.addSql(
      `create trigger "offer_booking_capacity_trigger" before insert or update on ${S}."offer_booking" for each row execute function ${S}."offer_booking_capacity_guard"();`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."offer_booking" cascade;`);
    this.addSql(`drop function if exists ${S}."offer_booking_capacity_guard"();`);
  }
}
