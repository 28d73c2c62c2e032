import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { normaliseFiscalCode, type PiiCipher } from '@welfare/kit/pii';
import { FISCAL_CODE_PURPOSE } from '../imports/csv-columns.js';
import { isUuid, requireComuneStaff } from '@welfare/kit/access';
import type { MessageChannel, MessageStatus } from './message.entity.js';

/** What a PORTAL message's recipient reads as (never the codice fiscale hash). */
export const PORTAL_RECIPIENT_LABEL = 'Area personale / Personal area';

export const DEFAULT_MESSAGE_PAGE_SIZE = 50;
export const MAX_MESSAGE_PAGE_SIZE = 200;

/** A message as the API shows it. */
export interface MessageView {
  id: string;
  channel: MessageChannel;
  /** An email address or a phone number; `PORTAL_RECIPIENT_LABEL` for the portal. */
  recipient: string;
  subject: string;
  body: string;
  status: MessageStatus;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  /** Why the last attempt failed, or a delivery note; null in a citizen's own inbox. */
  lastError: string | null;
}

export interface MessagePage {
  nodes: MessageView[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

interface Row {
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

const S = '"public_welfare"."message"';
const COLUMNS = `"id", "channel", "recipient", "subject", "body", "status", "attempts",
  "created_at", (extract(epoch from "created_at") * 1000000)::bigint::text as "created_us", "sent_at", "last_error"`;

/**
 * Reads of the outbox: a Comune's sent messages for its staff, and a citizen's own PORTAL
 * messages (found by the hash of the codice fiscale in their gateway token), newest first.
 */
export class MessageQueryService {
  constructor(private readonly pii: PiiCipher) {}

  /** The PORTAL recipient of a codice fiscale: the hash household members are stored under. */
  portalRecipient(fiscalCode: string): string {
    return this.pii.lookupHash(FISCAL_CODE_PURPOSE, normaliseFiscalCode(fiscalCode));
  }

  /** Every message of the Comune, newest first. Its staff and platform admins only. */
  async sent(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    first: number = DEFAULT_MESSAGE_PAGE_SIZE,
    after?: string | null,
  ): Promise<MessagePage> {
    requireComuneStaff(caller, comuneId);
    const cursor = validatePage(first, after);
    const page = await this.page(em, `"comune_id" = ?`, [comuneId], first, cursor);
    return { ...page, nodes: page.nodes.map((row) => view(row, true)) };
  }

  /**
   * The caller's own delivered PORTAL messages, newest first: UNAUTHENTICATED when anonymous,
   * empty for a caller whose codice fiscale is not known (staff known by email only).
   */
  async mine(
    em: EntityManager,
    caller: Caller,
    first: number = DEFAULT_MESSAGE_PAGE_SIZE,
    after?: string | null,
  ): Promise<MessagePage> {
    if (caller.kind === 'anonymous') throw DomainError.unauthenticated();
    const cursor = validatePage(first, after);
    if (caller.kind !== 'person' || !caller.fiscalCode) {
      return { nodes: [], totalCount: 0, hasNextPage: false, endCursor: null };
    }
    const page = await this.page(
      em,
      `"channel" = 'PORTAL' and "recipient" = ? and "status" = 'SENT'`,
      [this.portalRecipient(caller.fiscalCode)],
      first,
      cursor,
    );
    return { ...page, nodes: page.nodes.map((row) => view(row, false)) };
  }

  private async page(
    em: EntityManager,
    where: string,
    params: unknown[],
    first: number,
    cursor: Cursor | undefined,
  ): Promise<{ nodes: Row[]; totalCount: number; hasNextPage: boolean; endCursor: string | null }> {
    const counted = await em.execute<{ n: string }[]>(
      `select count(*) as n from ${S} where ${where}`,
      params,
    );
    const pageWhere = cursor
      ? `${where} and ("created_at", "id") < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid)`
      : where;
    const pageParams = cursor ? [...params, cursor.createdUs, cursor.id] : params;
    const rows = await em.execute<Row[]>(
      `select ${COLUMNS} from ${S} where ${pageWhere}
        order by "created_at" desc, "id" desc limit ?`,
      [...pageParams, first + 1],
    );
    const nodes = rows.slice(0, first);
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      totalCount: Number(counted[0]?.n ?? 0),
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor({ createdUs: last.created_us, id: last.id }) : null,
    };
  }
}

function view(row: Row, staff: boolean): MessageView {
  return {
    id: row.id,
    channel: row.channel,
    recipient: row.channel === 'PORTAL' ? PORTAL_RECIPIENT_LABEL : row.recipient,
    subject: row.subject,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
    sentAt: row.sent_at ? new Date(row.sent_at) : null,
    lastError: staff ? row.last_error : null,
  };
}

interface Cursor {
  /** `created_at` in microseconds since 1970 (exact: PostgreSQL keeps microseconds). */
  createdUs: string;
  id: string;
}

function validatePage(first: number, after: string | null | undefined): Cursor | undefined {
  const errors = new FieldErrors();
  if (!Number.isInteger(first) || first < 1 || first > MAX_MESSAGE_PAGE_SIZE) {
    errors.add('first', `Da 1 a ${MAX_MESSAGE_PAGE_SIZE}.`, `From 1 to ${MAX_MESSAGE_PAGE_SIZE}.`);
  }
  const cursor = after ? decodeCursor(after) : undefined;
  if (after && !cursor) errors.add('after', 'Cursore non valido.', 'Malformed cursor.');
  errors.throwIfAny();
  return cursor;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdUs, cursor.id]), 'utf8').toString('base64url');
}

/** Microseconds since 1970 (up to year 5000 or so). */
const MICROSECONDS = /^-?\d{1,17}$/;

function decodeCursor(value: string): Cursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      MICROSECONDS.test(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      isUuid(parsed[1])
    ) {
      return { createdUs: parsed[0], id: parsed[1] };
    }
  } catch {
    return undefined;
  }
  return undefined;
}
