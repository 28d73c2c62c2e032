import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';
import { sql } from '@welfare/kit/sql';
import type { MessageChannel, MessageStatus } from './message.entity.js';
import type { MessageLanguage, Rendered, TemplateCode } from './templates.js';

/* The outbox's statements: writing a notification, and the pages of messages staff and citizens read. */

/** A message row as the reads return it (`created_us`: `created_at` in microseconds since 1970). */
export interface MessageRow {
  id: string;
  /** Always one of `TEMPLATE_CODES`: every writer passes a template code. */
  template: TemplateCode;
  channel: MessageChannel;
  recipient: string;
  subject: string;
  body: string;
  language: MessageLanguage;
  status: MessageStatus;
  attempts: number;
  created_at: Date;
  created_us: string;
  sent_at: Date | null;
  last_error: string | null;
}

/** A new PENDING message (the template already rendered in each language). */
interface NewMessage {
  comuneId: string;
  applicationId: string | null;
  campaignId: string | null;
  template: string;
  channel: MessageChannel;
  recipient: string;
  rendered: Record<MessageLanguage, Rendered>;
  /** Whose language the message is written in (codice fiscale hash); null: Italian. */
  languageOf: string | null;
  dedupeKey: string | null;
}

/**
 * Which messages a page reads: a Comune's (optionally of one template and/or one campaign), or
 * one citizen's delivered PORTAL messages.
 */
export type MessageScope =
  | { comuneId: string; template?: string | null; campaignId?: string | null }
  | { portalRecipient: string };

/** A position in a page: `created_at` in microseconds since 1970, and the id. */
interface MessageCursor {
  createdUs: string;
  id: string;
}

const S = '"public_welfare"."message"';
const COLUMNS = `"id", "template", "channel", "recipient", "subject", "body", "language", "status", "attempts",
  "created_at", (extract(epoch from "created_at") * 1000000)::bigint::text as "created_us", "sent_at", "last_error"`;

/**
 * Writes one PENDING message (a prepared statement, the kit's `sql`: a card payment writes its
 * notice here) in the language its person chose (`message_language`, Italian when none), read in
 * the same statement; returns its id, none when its dedupe key was already written.
 */
export function insertMessage(em: EntityManager, m: NewMessage): Promise<{ id: string }[]> {
  return sql<{ id: string }>(
    em,
    `insert into "public_welfare"."message"
           ("id", "comune_id", "application_id", "campaign_id", "template", "channel", "recipient",
            "subject", "body", "language", "dedupe_key")
         select gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4::text, $5::text, $6::text,
           case when l."language" = 'en' then $9::text else $7::text end,
           case when l."language" = 'en' then $10::text else $8::text end,
           coalesce(l."language", 'it'), $11::text
         from (select 1) as "one"
         left join "public_welfare"."message_language" l on l."fiscal_code_hash" = $12::text
         on conflict ("dedupe_key") where "dedupe_key" is not null do nothing
         returning "id"`,
    [
      m.comuneId,
      m.applicationId,
      m.campaignId,
      m.template,
      m.channel,
      m.recipient,
      m.rendered.it.subject,
      m.rendered.it.body,
      m.rendered.en.subject,
      m.rendered.en.body,
      m.dedupeKey,
      m.languageOf,
    ],
  );
}

/** The language a person (codice fiscale hash) chose for their messages; null when none. */
export async function messageLanguageOf(
  em: EntityManager,
  fiscalCodeHash: string,
): Promise<MessageLanguage | null> {
  const rows = await em.execute<{ language: MessageLanguage }[]>(
    `select "language" from "public_welfare"."message_language" where "fiscal_code_hash" = ?`,
    [fiscalCodeHash],
  );
  return rows[0]?.language ?? null;
}

/** Saves the language a person (codice fiscale hash) chose for their next messages. */
export async function saveMessageLanguage(
  em: EntityManager,
  fiscalCodeHash: string,
  language: MessageLanguage,
): Promise<void> {
  await em.execute(
    `insert into "public_welfare"."message_language" ("fiscal_code_hash", "language") values (?, ?)
       on conflict ("fiscal_code_hash") do update
       set "language" = excluded."language", "updated_at" = now()`,
    [fiscalCodeHash, language],
  );
}

/** The SQL condition of a scope, with its parameters. */
function scopeWhere(scope: MessageScope): { where: string; params: unknown[] } {
  if ('comuneId' in scope) {
    const where = [`"comune_id" = ?`];
    const params: unknown[] = [scope.comuneId];
    if (scope.template) {
      where.push(`"template" = ?`);
      params.push(scope.template);
    }
    if (scope.campaignId) {
      where.push(`"campaign_id" = ?`);
      params.push(scope.campaignId);
    }
    return { where: where.join(' and '), params };
  }
  return {
    where: `"channel" = 'PORTAL' and "recipient" = ? and "status" = 'SENT'`,
    params: [scope.portalRecipient],
  };
}

/** How many messages the scope has. */
export async function countMessages(em: EntityManager, scope: MessageScope): Promise<number> {
  const { where, params } = scopeWhere(scope);
  const counted = await em.execute<{ n: string }[]>(
    `select count(*) as n from ${S} where ${where}`,
    params,
  );
  return Number(counted[0]?.n ?? 0);
}

/** Up to `limit` of the scope's messages before the cursor, newest first. */
export function messageRows(
  em: EntityManager,
  scope: MessageScope,
  before: MessageCursor | undefined,
  limit: number,
): Promise<MessageRow[]> {
  const { where, params } = scopeWhere(scope);
  const pageWhere = before
    ? `${where} and ("created_at", "id") < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid)`
    : where;
  const pageParams = before ? [...params, before.createdUs, before.id] : params;
  return em.execute<MessageRow[]>(
    `select ${COLUMNS} from ${S} where ${pageWhere}
        order by "created_at" desc, "id" desc limit ?`,
    [...pageParams, limit],
  );
}

/**
 * Up to `limit` of a Comune's messages about a household, newest first: those of its
 * applications, and PORTAL messages to one of its members (by codice fiscale hash).
 */
export function householdMessageRows(
  em: EntityManager,
  comuneId: string,
  applicationIds: string[],
  memberHashes: string[],
  limit: number,
): Promise<MessageRow[]> {
  return em.execute<MessageRow[]>(
    `select ${COLUMNS} from ${S} where "comune_id" = ?
        and ("application_id" = any(?::uuid[])
          or ("channel" = 'PORTAL' and "recipient" = any(?::text[])))
        order by "created_at" desc, "id" desc limit ?`,
    [comuneId, arrayLiteral(applicationIds), arrayLiteral(memberHashes), limit],
  );
}
