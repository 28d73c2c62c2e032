import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';
import { sql } from '@welfare/kit/sql';
import type { MessageChannel, MessageStatus } from './message.entity.js';

/* The outbox's statements: writing a notification, and the pages of messages staff and citizens read. */

/** A message row as the reads return it (`created_us`: `created_at` in microseconds since 1970). */
export interface MessageRow {
  id: string;
  channel: MessageChannel;
  recipient: string;
  subject: string;
  body: string;
  status: MessageStatus;
  attempts: number;
  created_at: Date;
  created_us: string;
  sent_at: Date | null;
  last_error: string | null;
}

/** A new PENDING message (the template already rendered). */
interface NewMessage {
  comuneId: string;
  applicationId: string | null;
  campaignId: string | null;
  template: string;
  channel: MessageChannel;
  recipient: string;
  subject: string;
  body: string;
  dedupeKey: string | null;
}

/** Which messages a page reads: a Comune's, or one citizen's delivered PORTAL messages. */
export type MessageScope = { comuneId: string } | { portalRecipient: string };

/** A position in a page: `created_at` in microseconds since 1970, and the id. */
interface MessageCursor {
  createdUs: string;
  id: string;
}

const S = '"public_welfare"."message"';
const COLUMNS = `"id", "channel", "recipient", "subject", "body", "status", "attempts",
  "created_at", (extract(epoch from "created_at") * 1000000)::bigint::text as "created_us", "sent_at", "last_error"`;

/**
 * Writes one PENDING message (a prepared statement, the kit's `sql`: a card payment writes its
 * notice here); returns its id, none when its dedupe key was already written.
 */
export function insertMessage(em: EntityManager, m: NewMessage): Promise<{ id: string }[]> {
  return sql<{ id: string }>(
    em,
    `insert into "public_welfare"."message"
           ("id", "comune_id", "application_id", "campaign_id", "template", "channel", "recipient", "subject", "body", "dedupe_key")
         values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict ("dedupe_key") where "dedupe_key" is not null do nothing
         returning "id"`,
    [
      m.comuneId,
      m.applicationId,
      m.campaignId,
      m.template,
      m.channel,
      m.recipient,
      m.subject,
      m.body,
      m.dedupeKey,
    ],
  );
}

/** The SQL condition of a scope, with its parameters. */
function scopeWhere(scope: MessageScope): { where: string; params: unknown[] } {
  return 'comuneId' in scope
    ? { where: `"comune_id" = ?`, params: [scope.comuneId] }
    : {
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
