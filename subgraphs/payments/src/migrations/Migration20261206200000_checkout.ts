import { Migration } from '@mikro-orm/migrations';

const S = '"payments"';

/**
 * Checkouts and their legs (issue 15): the durable state machine that pays one payable with funds
 * and a card. The database keeps what the code must never break:
 * - a leg's amount is positive, what it captured never exceeds it, what it refunded never exceeds
 *   what it captured;
 * - at the end of every transaction, a checkout's legs add up to its amount exactly (a deferred
 *   constraint trigger), so a split can neither lose nor create a cent;
 * - at most one checkout per payable is not FAILED: a payable is never paid twice, and two
 *   checkouts racing for it cannot both proceed.
 */
export class Migration20261206200000_checkout extends Migration {
  override up(): void {
    this.addSql(
      `create table ${S}."checkout" (
  "id" uuid primary key,
  "payable_ref" text not null check (length("payable_ref") between 3 and 200),
  "person_id" uuid not null,
  "payee_organisation_id" uuid not null,
  "comune_id" uuid not null,
  "amount_cents" bigint not null check ("amount_cents" > 0),
  "description_it" text not null,
  "description_en" text not null,
  "status" text not null check ("status" in ('OPEN', 'HOLDING', 'AWAITING_CARD', 'CAPTURING', 'PAID', 'RELEASING', 'FAILED')),
  "failure_reason" text null,
  "holds_until" timestamptz not null,
  "card_url" text null,
  "lease_until" timestamptz null,
  "lease_token" uuid null,
  "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now(),
  "paid_at" timestamptz null,
  constraint "checkout_paid_at_check" check ("status" <> 'PAID' or "paid_at" is not null)
);`,
    );
    this.addSql(
      `create unique index "checkout_one_live_per_payable" on ${S}."checkout" ("payable_ref") where "status" <> 'FAILED';`,
    );
    this.addSql(
      `create index "checkout_person_idx" on ${S}."checkout" ("person_id", "created_at" desc);`,
    );
    this.addSql(
      `create index "checkout_payee_idx" on ${S}."checkout" ("payee_organisation_id", "created_at" desc);`,
    );
    this.addSql(
      `create index "checkout_unfinished_idx" on ${S}."checkout" ("updated_at") where "status" not in ('PAID', 'FAILED');`,
    );
    this.addSql(
      `create table ${S}."checkout_leg" (
  "id" uuid primary key,
  "checkout_id" uuid not null references ${S}."checkout" ("id"),
  "position" int not null check ("position" >= 0),
  "kind" text not null check ("kind" in ('FUND', 'CARD')),
  "owner" text null,
  "fund_id" text null,
  "fund_kind" text null,
  "label_it" text not null,
  "label_en" text not null,
  "amount_cents" bigint not null check ("amount_cents" > 0),
  "status" text not null check ("status" in ('PLANNED', 'HELD', 'AUTHORISED', 'CAPTURED', 'RELEASED', 'FAILED')),
  "captured_cents" bigint not null default 0,
  "refunded_cents" bigint not null default 0,
  "updated_at" timestamptz not null default now(),
  constraint "checkout_leg_position_unique" unique ("checkout_id", "position"),
  constraint "checkout_leg_fund_check" check (("kind" = 'FUND') = ("owner" is not null and "fund_id" is not null)),
  constraint "checkout_leg_captured_check" check ("captured_cents" in (0, "amount_cents")),
  constraint "checkout_leg_refunded_check" check ("refunded_cents" between 0 and "captured_cents")
);`,
    );
    this.addSql(
      `create unique index "checkout_leg_one_card" on ${S}."checkout_leg" ("checkout_id") where "kind" = 'CARD';`,
    );
    this.addSql(
      `create function ${S}."checkout_legs_add_up"() returns trigger language plpgsql as $$
declare
  target uuid;
  expected bigint;
  total bigint;
begin
  if tg_table_name = 'checkout' then
    target := coalesce(new."id", old."id");
  else
    target := coalesce(new."checkout_id", old."checkout_id");
  end if;
  select c."amount_cents" into expected from ${S}."checkout" c where c."id" = target;
  if expected is null then return null; end if;
  select coalesce(sum(l."amount_cents"), 0) into total from ${S}."checkout_leg" l where l."checkout_id" = target;
  if total <> expected then
    raise exception 'checkout % legs add up to % cents, not %', target, total, expected using errcode = 'check_violation';
  end if;
  return null;
end $$;`,
    );
    this.addSql(
      `create constraint trigger "checkout_leg_add_up" after insert or update or delete on ${S}."checkout_leg" deferrable initially deferred for each row execute function ${S}."checkout_legs_add_up"();`,
    );
    this.addSql(
      `create constraint trigger "checkout_add_up" after insert or update of "amount_cents" on ${S}."checkout" deferrable initially deferred for each row execute function ${S}."checkout_legs_add_up"();`,
    );
    this.addSql(
      `create table ${S}."checkout_refund" (
  "id" uuid primary key,
  "checkout_id" uuid not null references ${S}."checkout" ("id"),
  "amount_cents" bigint not null check ("amount_cents" > 0),
  "cancel" boolean not null,
  "requested_by" uuid not null,
  "status" text not null check ("status" in ('PENDING', 'DONE')),
  "created_at" timestamptz not null default now(),
  "done_at" timestamptz null
);`,
    );
    this.addSql(
      `create table ${S}."checkout_refund_leg" (
  "refund_id" uuid not null references ${S}."checkout_refund" ("id"),
  "leg_id" uuid not null references ${S}."checkout_leg" ("id"),
  "amount_cents" bigint not null check ("amount_cents" > 0),
  "done" boolean not null default false,
  constraint "checkout_refund_leg_pkey" primary key ("refund_id", "leg_id")
);`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."checkout_refund_leg";`);
    this.addSql(`drop table if exists ${S}."checkout_refund";`);
    this.addSql(`drop table if exists ${S}."checkout_leg";`);
    this.addSql(`drop table if exists ${S}."checkout";`);
    this.addSql(`drop function if exists ${S}."checkout_legs_add_up"();`);
  }
}
