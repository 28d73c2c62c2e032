import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox of third-sector's notifications (the kit's `outboxTableSql('third_sector')`, pasted
 * as literal statements so a later change of the kit cannot rewrite it) and each person's
 * language for them (`notification_language`: none, Italian). Hand-written.
 */
export class Migration20261208040000_notification_outbox extends Migration {
  override up(): void {
    this.addSql(
      `create table "third_sector"."message" ("id" uuid not null default gen_random_uuid(), "comune_id" uuid not null, "template" text not null, "subject_ref" text null, "channel" text check ("channel" in ('EMAIL', 'SMS', 'PORTAL')) not null, "recipient" text not null, "language" text check ("language" in ('it', 'en')) not null default 'it', "subject" text not null, "body" text not null, "status" text check ("status" in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0 check ("attempts" >= 0), "next_attempt_at" timestamptz not null default now(), "last_error" text null, "sent_at" timestamptz null, "dedupe_key" text null, "created_at" timestamptz not null default now(), constraint "message_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "message_pending_index" on "third_sector"."message" ("next_attempt_at") where "status" = 'PENDING'`,
    );
    this.addSql(
      `create index "message_recipient_index" on "third_sector"."message" ("channel", "recipient", "created_at")`,
    );
    this.addSql(
      `create unique index "message_dedupe_unique" on "third_sector"."message" ("dedupe_key") where "dedupe_key" is not null`,
    );
    this.addSql(
      `create index "message_comune_index" on "third_sector"."message" ("comune_id", "created_at")`,
    );
    this.addSql(
      `create table "third_sector"."notification_language" ("person_id" uuid not null, "language" text check ("language" in ('it', 'en')) not null, "updated_at" timestamptz not null default now(), constraint "notification_language_pkey" primary key ("person_id"))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "third_sector"."notification_language"`);
    this.addSql(`drop table if exists "third_sector"."message"`);
  }
}
