import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';
const T = `${S}."offer_booking"`;

/**
 * Bookings people can trust. The booking calendar: a Comune's patron saint day
 * (`comune_patron_day`, one per Comune) and the closures a provider declares (`provider_closure`,
 * inclusive day ranges with a reason). Who attends a booking and how the provider reaches them
 * (`attendee_*`, `contact_*`: at least a phone or an e-mail, checked by the service; the attendee's
 * codice fiscale only when typed), and the provider's cancellation of a confirmed booking
 * (CANCELLED_BY_PROVIDER with `cancel_reason` and `cancelled_by`). Hand-written.
 */
export class Migration20261208030000_booking_calendar extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."comune_patron_day" (
  "comune_id" uuid not null,
  "month" smallint not null,
  "day" smallint not null,
  "name" text not null,
  "source" text null,
  "set_by" uuid not null,
  "updated_at" timestamptz not null default now(),
  constraint "comune_patron_day_pkey" primary key ("comune_id"),
  constraint "comune_patron_day_date_check" check ("month" between 1 and 12 and "day" between 1 and 31
    and make_date(2023, "month", "day") is not null),
  constraint "comune_patron_day_text_check" check (length("name") between 3 and 120
    and ("source" is null or length("source") <= 500)));`);
    this.addSql(`create table ${S}."provider_closure" (
  "id" uuid not null,
  "provider_id" uuid not null,
  "starts_on" date not null,
  "ends_on" date not null,
  "reason" text not null,
  "created_by" uuid not null,
  "created_at" timestamptz not null default now(),
  constraint "provider_closure_pkey" primary key ("id"),
  constraint "provider_closure_range_check" check ("ends_on" >= "starts_on" and "ends_on" - "starts_on" < 366),
  constraint "provider_closure_reason_check" check (length("reason") between 3 and 500));`);
    this.addSql(
      `create index "provider_closure_provider_index" on ${S}."provider_closure" ("provider_id", "ends_on");`,
    );
    this.addSql(`alter table ${T}
  add column "attendee_given_name" text null,
  add column "attendee_family_name" text null,
  add column "attendee_fiscal_code" text null,
  add column "attendee_birth_date" date null,
  add column "contact_phone" text null,
  add column "contact_email" text null,
  add column "cancel_reason" text null,
  add column "cancelled_by" uuid null;`);
    this.addSql(`alter table ${T} add constraint "offer_booking_attendee_check" check (
  ("attendee_given_name" is null) = ("attendee_family_name" is null)
  and ("attendee_given_name" is null or (length("attendee_given_name") between 1 and 80 and length("attendee_family_name") between 1 and 80))
  and ("attendee_fiscal_code" is null or ("attendee_given_name" is not null and "attendee_fiscal_code" ~ '^[A-Z0-9]{16}$'))
  and (("attendee_birth_date" is null) = ("attendee_given_name" is null))
  and ("contact_phone" is null or "contact_phone" ~ '^\\+?[0-9]{6,15}$')
  and ("contact_email" is null or length("contact_email") between 3 and 254));`);
    this.addSql(`alter table ${T} drop constraint "offer_booking_status_check";`);
    this.addSql(
      `alter table ${T} add constraint "offer_booking_status_check" check ("status" in ('REQUESTED', 'CONFIRMED', 'DECLINED', 'CANCELLED', 'CANCELLED_BY_PROVIDER', 'EXPIRED'));`,
    );
    this.addSql(`alter table ${T} drop constraint "offer_booking_payment_status_check";`);
    this.addSql(`alter table ${T} add constraint "offer_booking_payment_status_check" check (
  ("payment_status" not in ('PAYMENT_DUE', 'PAYMENT_IN_PROGRESS') or "status" in ('REQUESTED', 'CONFIRMED'))
  and ("status" <> 'EXPIRED' or "payment_status" = 'UNPAID')
  and ("payment_status" <> 'UNPAID' or "status" in ('DECLINED', 'CANCELLED', 'CANCELLED_BY_PROVIDER', 'EXPIRED')));`);
    this.addSql(`alter table ${T} drop constraint "offer_booking_cancelled_check";`);
    this.addSql(`alter table ${T} add constraint "offer_booking_cancelled_check" check (
  ("status" in ('CANCELLED', 'CANCELLED_BY_PROVIDER')) = ("cancelled_at" is not null)
  and ("status" = 'CANCELLED_BY_PROVIDER') = ("cancel_reason" is not null and "cancelled_by" is not null)
  and ("cancel_reason" is null or length("cancel_reason") between 3 and 500));`);
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."comune_patron_day";`);
    this.addSql(`drop table if exists ${S}."provider_closure";`);
    this.addSql(`alter table ${T} drop constraint "offer_booking_cancelled_check";`);
    this.addSql(
      `alter table ${T} add constraint "offer_booking_cancelled_check" check (("status" = 'CANCELLED') = ("cancelled_at" is not null));`,
    );
    this.addSql(`alter table ${T} drop constraint "offer_booking_attendee_check";`);
    this
      .addSql(`alter table ${T} drop column "attendee_given_name", drop column "attendee_family_name",
  drop column "attendee_fiscal_code", drop column "attendee_birth_date", drop column "contact_phone",
  drop column "contact_email", drop column "cancel_reason", drop column "cancelled_by";`);
  }
}
