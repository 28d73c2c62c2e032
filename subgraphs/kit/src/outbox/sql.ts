import type { EntityManager } from '@mikro-orm/postgresql';
import { quoteSchema } from '../book/schema.js';
import { sql } from '../sql.js';
import type { MessageChannel } from './transports.js';
import { outboxTableName, type OutboxTable } from './dispatcher.js';

/**
 * The SQL of a subgraph's outbox, in its own schema: the `message` table (one row per message
 * and channel; PENDING until the dispatcher delivers it, SENT or FAILED after) and its indexes:
 * the due messages (the dispatcher's claim), a recipient's messages (the portal's message area),
 * a Comune's messages, and the unique dedupe key (an enqueue written twice leaves one row).
 * `language` is the one language the message is written in (`it` or `en`); `subject_ref` names
 * what the message is about (`offer-booking:<id>`), for the subgraph's own reads.
 *
 * The same columns as public-welfare's `message` (created by its own migration in 2026-11, plus
 * `language` and `subject_ref`), so the one dispatcher delivers both.
 *
 * For WRITING a migration: print the statements once and paste them as literal strings (like the
 * book's and the audit log's SQL), so that a later change of the kit cannot rewrite a migration
 * already applied.
 */
export function outboxTableSql(schema: string): string[] {
  const s = quoteSchema(schema);
  return [
    `create table ${s}."message" ("id" uuid not null default gen_random_uuid(), "comune_id" uuid not null, "template" text not null, "subject_ref" text null, "channel" text check ("channel" in ('EMAIL', 'SMS', 'PORTAL')) not null, "recipient" text not null, "language" text check ("language" in ('it', 'en')) not null default 'it', "subject" text not null, "body" text not null, "status" text check ("status" in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0 check ("attempts" >= 0), "next_attempt_at" timestamptz not null default now(), "last_error" text null, "sent_at" timestamptz null, "dedupe_key" text null, "created_at" timestamptz not null default now(), constraint "message_pkey" primary key ("id"))`,
    `create index "message_pending_index" on ${s}."message" ("next_attempt_at") where "status" = 'PENDING'`,
    `create index "message_recipient_index" on ${s}."message" ("channel", "recipient", "created_at")`,
    `create unique index "message_dedupe_unique" on ${s}."message" ("dedupe_key") where "dedupe_key" is not null`,
    `create index "message_comune_index" on ${s}."message" ("comune_id", "created_at")`,
  ];
}

/** A new PENDING message of an outbox made by `outboxTableSql` (its text already rendered). */
export interface NewOutboxMessage {
  comuneId: string;
  /** The subgraph's template code (BOOKING_CONFIRMED…). */
  template: string;
  /** What the message is about (`offer-booking:<id>`). */
  subjectRef: string | null;
  channel: MessageChannel;
  /** EMAIL: an address; SMS: an E.164 number; PORTAL: the recipient's key in the portal. */
  recipient: string;
  language: 'it' | 'en';
  subject: string;
  body: string;
  /** Idempotency: a second message with the same key is not written. */
  dedupeKey: string | null;
}

/**
 * Writes one PENDING message in the caller's transaction (`em`: the transaction of the event the
 * message tells of, so it exists exactly when the event was committed); returns its id, none when
 * its dedupe key was already written.
 */
export async function enqueueMessage(
  em: EntityManager,
  table: OutboxTable,
  m: NewOutboxMessage,
): Promise<string | null> {
  const rows = await sql<{ id: string }>(
    em,
    `insert into ${outboxTableName(table)}
           ("comune_id", "template", "subject_ref", "channel", "recipient", "language", "subject", "body", "dedupe_key")
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict ("dedupe_key") where "dedupe_key" is not null do nothing
         returning "id"`,
    [
      m.comuneId,
      m.template,
      m.subjectRef,
      m.channel,
      m.recipient,
      m.language,
      m.subject,
      m.body,
      m.dedupeKey,
    ],
  );
  return rows[0]?.id ?? null;
}
