import { Migration } from '@mikro-orm/migrations';

export class Migration20261124120353_cards extends Migration {
  override up(): void {
    this.addSql(
      `create table "public_welfare"."card" ("id" uuid not null, "comune_id" uuid not null, "number" text not null, "holder_fiscal_code_hash" text not null, "holder_fiscal_code_cipher" text not null, "status" text check ("status" in ('ACTIVE', 'BLOCKED', 'REPLACED')) not null default 'ACTIVE', "block_reason" text check ("block_reason" in ('PIN_LOCKED', 'LOST', 'STOLEN', 'DAMAGED', 'SUSPECTED_MISUSE', 'HOLDER_REQUEST', 'OTHER')) null, "blocked_at" timestamptz null, "pin_hash" text not null, "pin_failures" int not null default 0, "qr_nonce" text not null, "replaced_by" uuid null, "application_id" uuid null, "issued_by" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "card_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "public_welfare"."card" add constraint "card_number_unique" unique ("number");`,
    );
    this.addSql(
      `create index "card_holder_index" on "public_welfare"."card" ("holder_fiscal_code_hash");`,
    );

    // Written by hand: the live card per holder, the shape of numbers, PINs and nonces, and the
    // status rules the service keeps (the database keeps them too).
    const S = '"public_welfare"';
    this.addSql(
      `create unique index "card_one_live_per_holder" on ${S}."card" ("comune_id", "holder_fiscal_code_hash") where "status" <> 'REPLACED';`,
    );
    this.addSql(
      `create index "card_comune_created_index" on ${S}."card" ("comune_id", "created_at" desc, "id" desc);`,
    );
    this.addSql(
      `alter table ${S}."card" add constraint "card_number_check" check ("number" ~ '^[0-9]{16}$');`,
    );
    this.addSql(
      `alter table ${S}."card" add constraint "card_pin_hash_check" check ("pin_hash" like '$argon2id$%');`,
    );
    this.addSql(
      `alter table ${S}."card" add constraint "card_pin_failures_check" check ("pin_failures" between 0 and 5);`,
    );
    this.addSql(
      `alter table ${S}."card" add constraint "card_qr_nonce_check" check ("qr_nonce" ~ '^[A-Za-z0-9_-]{22}$');`,
    );
    this.addSql(
      `alter table ${S}."card" add constraint "card_blocked_check" check (("status" = 'ACTIVE' and "block_reason" is null and "blocked_at" is null) or ("status" = 'BLOCKED' and "block_reason" is not null and "blocked_at" is not null) or "status" = 'REPLACED');`,
    );
    this.addSql(
      `alter table ${S}."card" add constraint "card_replaced_check" check (("status" = 'REPLACED') = ("replaced_by" is not null) and "replaced_by" is distinct from "id");`,
    );
    this.addSql(
      `alter table ${S}."card" add constraint "card_replaced_by_fk" foreign key ("replaced_by") references ${S}."card" ("id") deferrable initially deferred;`,
    );
    this.addSql(
      `alter table ${S}."card" add constraint "card_application_fk" foreign key ("application_id") references ${S}."application" ("id");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "public_welfare"."card" cascade;`);
  }
}
