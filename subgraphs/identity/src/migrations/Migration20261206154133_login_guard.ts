import { Migration } from '@mikro-orm/migrations';

export class Migration20261206154133_login_guard extends Migration {
  override up(): void {
    this.addSql(
      `create table "identity"."login_attempt" ("account_key" text not null, "address" text not null, "failures" int not null, "blocked_until" timestamptz null, "last_failure_at" timestamptz not null, "refused" boolean not null, constraint "login_attempt_pkey" primary key ("account_key", "address"));`,
    );

    this.addSql(
      `create table "identity"."outbox_message" ("id" uuid not null, "template" text not null, "recipient" text not null, "subject" text not null, "body" text not null, "status" text check ("status" in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "last_error" text null, "sent_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "outbox_message_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "outbox_message_due_index" on "identity"."outbox_message" ("status", "next_attempt_at");`,
    );

    this.addSql(
      `create table "identity"."password_reset" ("id" uuid not null, "token_hash" text not null, "person_id" uuid not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "password_reset_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "identity"."password_reset" add constraint "password_reset_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `create index "password_reset_person_index" on "identity"."password_reset" ("person_id");`,
    );

    this.addSql(
      `create table "identity"."rate_window" ("bucket" text not null, "window_start" timestamptz not null, "hits" int not null, "refused" boolean not null, constraint "rate_window_pkey" primary key ("bucket"));`,
    );

    this.addSql(
      `alter table "identity"."password_reset" add constraint "password_reset_person_id_foreign" foreign key ("person_id") references "identity"."person" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`drop table if exists "identity"."login_throttle" cascade;`);
  }

  override down(): void {
    this.addSql(
      `create table "identity"."login_throttle" ("email_hash" text not null, "window_start" timestamptz not null, "failures" int not null, constraint "login_throttle_pkey" primary key ("email_hash"));`,
    );

    this.addSql(`drop table if exists "identity"."login_attempt" cascade;`);

    this.addSql(`drop table if exists "identity"."outbox_message" cascade;`);

    this.addSql(`drop table if exists "identity"."password_reset" cascade;`);

    this.addSql(`drop table if exists "identity"."rate_window" cascade;`);
  }
}
