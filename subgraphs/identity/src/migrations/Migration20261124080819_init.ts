import { Migration } from '@mikro-orm/migrations';

export class Migration20261124080819_init extends Migration {
  override up(): void {
    this.addSql(`create schema if not exists "identity";`);
    this.addSql(
      `create table "identity"."login_throttle" ("email_hash" text not null, "window_start" timestamptz not null, "failures" int not null, constraint "login_throttle_pkey" primary key ("email_hash"));`,
    );

    this.addSql(
      `create table "identity"."organisation" ("id" uuid not null, "kind" text check ("kind" in ('COMUNE', 'COOPERATIVE', 'ASSOCIATION', 'EMPLOYER', 'MERCHANT')) not null, "name" text not null, "tax_code" text not null, "iban" text null, "email" text null, "city" text null, "created_at" timestamptz not null default now(), constraint "organisation_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "identity"."organisation" add constraint "organisation_tax_code_unique" unique ("tax_code");`,
    );

    this.addSql(
      `create table "identity"."person" ("id" uuid not null, "given_name" text not null, "family_name" text not null, "email" text null, "phone" text null, "fiscal_code_hash" text null, "fiscal_code_cipher" text null, "password_hash" text null, "platform_admin" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "person_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "identity"."person" add constraint "person_email_unique" unique ("email");`,
    );
    this.addSql(
      `alter table "identity"."person" add constraint "person_fiscal_code_hash_unique" unique ("fiscal_code_hash");`,
    );

    this.addSql(
      `create table "identity"."membership" ("id" uuid not null, "person_id" uuid not null, "organisation_id" uuid not null, "role" text check ("role" in ('OPERATOR', 'MANAGER', 'ADMIN', 'TUTOR', 'HR', 'OWNER', 'CASHIER')) not null, "status" text check ("status" in ('INVITED', 'ACTIVE')) not null, "created_at" timestamptz not null default now(), "activated_at" timestamptz null, constraint "membership_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "membership_organisation_index" on "identity"."membership" ("organisation_id");`,
    );
    this.addSql(
      `alter table "identity"."membership" add constraint "membership_person_organisation_role_unique" unique ("person_id", "organisation_id", "role");`,
    );

    this.addSql(
      `create table "identity"."invitation" ("id" uuid not null, "token_hash" text not null, "membership_id" uuid not null, "invited_by_id" uuid null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "invitation_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "identity"."invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "identity"."session" ("id" uuid not null, "token_hash" text not null, "person_id" uuid not null, "method" text check ("method" in ('PASSWORD', 'OIDC', 'INVITATION')) not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "session_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "identity"."session" add constraint "session_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "session_person_index" on "identity"."session" ("person_id");`);

    this.addSql(
      `alter table "identity"."membership" add constraint "membership_person_id_foreign" foreign key ("person_id") references "identity"."person" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "identity"."membership" add constraint "membership_organisation_id_foreign" foreign key ("organisation_id") references "identity"."organisation" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "identity"."invitation" add constraint "invitation_membership_id_foreign" foreign key ("membership_id") references "identity"."membership" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "identity"."invitation" add constraint "invitation_invited_by_id_foreign" foreign key ("invited_by_id") references "identity"."person" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "identity"."session" add constraint "session_person_id_foreign" foreign key ("person_id") references "identity"."person" ("id") on update cascade on delete cascade;`,
    );
  }

  override down(): void {
    this.addSql(
      `alter table "identity"."membership" drop constraint "membership_organisation_id_foreign";`,
    );

    this.addSql(
      `alter table "identity"."membership" drop constraint "membership_person_id_foreign";`,
    );

    this.addSql(
      `alter table "identity"."invitation" drop constraint "invitation_invited_by_id_foreign";`,
    );

    this.addSql(`alter table "identity"."session" drop constraint "session_person_id_foreign";`);

    this.addSql(
      `alter table "identity"."invitation" drop constraint "invitation_membership_id_foreign";`,
    );

    this.addSql(`drop table if exists "identity"."login_throttle" cascade;`);

    this.addSql(`drop table if exists "identity"."organisation" cascade;`);

    this.addSql(`drop table if exists "identity"."person" cascade;`);

    this.addSql(`drop table if exists "identity"."membership" cascade;`);

    this.addSql(`drop table if exists "identity"."invitation" cascade;`);

    this.addSql(`drop table if exists "identity"."session" cascade;`);

    this.addSql(`drop schema if exists "identity";`);
  }
}
