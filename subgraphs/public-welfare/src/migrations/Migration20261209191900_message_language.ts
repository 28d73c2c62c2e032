import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * Messages people read (issue 19, item 6): each message is written in one language, the
 * recipient's. Hand-written.
 *
 * - `message_language`: the language a person chose for the Comune's messages, keyed by the hash
 *   of their codice fiscale (the key public-welfare knows people by: the PORTAL recipient, the
 *   applicant, the card holder); a person with no row reads Italian.
 * - `message.language`: the language the message was written in (`it` for the older, bilingual
 *   messages).
 */
export class Migration20261209191900_message_language extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."message_language" (
  "fiscal_code_hash" text not null,
  "language" text not null check ("language" in ('it', 'en')),
  "updated_at" timestamptz not null default now(),
  constraint "message_language_pkey" primary key ("fiscal_code_hash")
);`);
    this.addSql(`alter table ${S}."message"
  add column "language" text not null default 'it' check ("language" in ('it', 'en'));`);
  }

  override down(): void {
    this.addSql(`alter table ${S}."message" drop column "language";`);
    this.addSql(`drop table if exists ${S}."message_language";`);
  }
}
