import { Migration } from '@mikro-orm/migrations';
import { bookMigrationSql } from '@welfare/kit/book';

export class Migration20261124121405_money extends Migration {
  override up(): void {
    this.addSql(
      `create table "public_welfare"."payment" ("id" uuid not null, "comune_id" uuid not null, "card_id" uuid not null, "accreditation_id" uuid not null, "cashier_id" uuid not null, "amount_cents" bigint not null, "category" text check ("category" in ('FOOD', 'PHARMACY', 'HYGIENE', 'CLOTHING', 'SCHOOL', 'ALCOHOL', 'TOBACCO', 'GAMBLING', 'PHONE_TOPUP', 'OTHER')) not null, "status" text check ("status" in ('AUTHORISED', 'VOIDED')) not null default 'AUTHORISED', "transfer_ids" jsonb not null, "void_transfer_ids" jsonb null, "created_at" timestamptz not null default now(), "voided_at" timestamptz null, constraint "payment_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "public_welfare"."shop_accreditation" ("id" uuid not null, "merchant_id" uuid not null, "comune_id" uuid not null, "campaign_id" uuid not null, "partita_iva" text not null, "iban" text not null, "business_name" text not null, "categories" text[] not null, "points_of_sale" jsonb not null, "status" text check ("status" in ('PENDING', 'ACCREDITED', 'SUSPENDED')) not null default 'PENDING', "decided_by" uuid null, "decided_at" timestamptz null, "requested_by" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "shop_accreditation_pkey" primary key ("id"));`,
    );

    this.addSql(
      `alter table "public_welfare"."campaign" add column "excluded_categories" text[] not null default '{ALCOHOL,TOBACCO,GAMBLING,PHONE_TOPUP}';`,
    );

    // Hand-written: keys, references and the rules the code also checks.
    this.addSql(`alter table "public_welfare"."shop_accreditation"
      add constraint "shop_accreditation_merchant_campaign_unique" unique ("merchant_id", "campaign_id"),
      add constraint "shop_accreditation_campaign_fkey" foreign key ("campaign_id") references "public_welfare"."campaign" ("id"),
      add constraint "shop_accreditation_partita_iva_check" check ("partita_iva" ~ '^[0-9]{11}$'),
      add constraint "shop_accreditation_iban_check" check ("iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
      add constraint "shop_accreditation_business_name_check" check (length("business_name") between 1 and 200),
      add constraint "shop_accreditation_categories_check" check (cardinality("categories") >= 1 and "categories" <@ array['FOOD','PHARMACY','HYGIENE','CLOTHING','SCHOOL','ALCOHOL','TOBACCO','GAMBLING','PHONE_TOPUP','OTHER']::text[]),
      add constraint "shop_accreditation_points_check" check (jsonb_typeof("points_of_sale") = 'array' and jsonb_array_length("points_of_sale") between 1 and 50),
      add constraint "shop_accreditation_decision_check" check (("status" = 'PENDING') = ("decided_at" is null));`);
    this.addSql(
      `create index "shop_accreditation_comune_index" on "public_welfare"."shop_accreditation" ("comune_id", "campaign_id");`,
    );
    this.addSql(`alter table "public_welfare"."campaign"
      add constraint "campaign_excluded_categories_check" check ("excluded_categories" <@ array['FOOD','PHARMACY','HYGIENE','CLOTHING','SCHOOL','ALCOHOL','TOBACCO','GAMBLING','PHONE_TOPUP','OTHER']::text[]);`);
    this.addSql(`alter table "public_welfare"."payment"
      add constraint "payment_card_fkey" foreign key ("card_id") references "public_welfare"."card" ("id"),
      add constraint "payment_accreditation_fkey" foreign key ("accreditation_id") references "public_welfare"."shop_accreditation" ("id"),
      add constraint "payment_amount_check" check ("amount_cents" between 1 and 100000000),
      add constraint "payment_transfers_check" check (jsonb_typeof("transfer_ids") = 'array' and jsonb_array_length("transfer_ids") >= 1),
      add constraint "payment_void_check" check (("status" = 'VOIDED') = ("voided_at" is not null) and ("status" = 'VOIDED') = ("void_transfer_ids" is not null));`);
    this.addSql(
      `create index "payment_card_index" on "public_welfare"."payment" ("card_id", "created_at");`,
    );
    this.addSql(
      `create index "payment_accreditation_index" on "public_welfare"."payment" ("accreditation_id", "created_at");`,
    );
    for (const sql of bookMigrationSql('public_welfare')) this.addSql(sql);
  }

  override down(): void {
    this.addSql(`drop table if exists "public_welfare"."book_transfer" cascade;`);
    this.addSql(`drop table if exists "public_welfare"."book_account" cascade;`);
    for (const fn of [
      'book_refuse',
      'book_account_guard',
      'book_transfer_guard',
      'book_transfer_apply',
    ]) {
      this.addSql(`drop function if exists "public_welfare"."${fn}"() cascade;`);
    }
    this.addSql(`drop table if exists "public_welfare"."payment" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."shop_accreditation" cascade;`);

    this.addSql(`alter table "public_welfare"."campaign" drop column "excluded_categories";`);
  }
}
