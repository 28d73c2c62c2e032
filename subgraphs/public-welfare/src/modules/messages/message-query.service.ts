import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { normaliseFiscalCode, type PiiCipher } from '@welfare/kit/pii';
import { FISCAL_CODE_PURPOSE } from '../imports/csv-columns.js';
import { isUuid, requireComuneStaff } from '@welfare/kit/access';
import type { MessageChannel, MessageStatus } from './message.entity.js';
import {
  countMessages,
  messageLanguageOf,
  householdMessageRows,
  messageRows,
  saveMessageLanguage,
  type MessageRow,
  type MessageScope,
} from './message.repository.js';
import {
  DEFAULT_MESSAGE_LANGUAGE,
  MESSAGE_LANGUAGES,
  TEMPLATE_CODES,
  type MessageLanguage,
  type TemplateCode,
} from './templates.js';

/** What a PORTAL message's recipient reads as (never the codice fiscale hash). */
export const PORTAL_RECIPIENT_LABEL = 'Area personale / Personal area';

export const DEFAULT_MESSAGE_PAGE_SIZE = 50;
export const MAX_MESSAGE_PAGE_SIZE = 200;

/** A message as the API shows it. */
export interface MessageView {
  id: string;
  /** The kind of message: the template it was written from. */
  template: TemplateCode;
  channel: MessageChannel;
  /** An email address or a phone number; `PORTAL_RECIPIENT_LABEL` for the portal. */
  recipient: string;
  subject: string;
  body: string;
  language: MessageLanguage;
  status: MessageStatus;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  /** Why the last attempt failed, or a delivery note; null in a citizen's own inbox. */
  lastError: string | null;
}

/** Which of the Comune's messages `sent` reads (every one when empty). */
export interface SentMessageFilter {
  /** A template code (`TEMPLATE_CODES`). */
  template?: string | null;
  /** A campaign's id: only the messages written about it. */
  campaignId?: string | null;
}

export interface MessagePage {
  nodes: MessageView[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

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

  /**
   * The Comune's messages, newest first, optionally only those of one template (e.g. the
   * CREDIT_EXPIRING reminders) and/or one campaign. Its staff and platform admins only;
   * BAD_USER_INPUT (fields `template`, `campaignId`) for an unknown template or a malformed id.
   */
  async sent(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    first: number = DEFAULT_MESSAGE_PAGE_SIZE,
    after?: string | null,
    filter: SentMessageFilter = {},
  ): Promise<MessagePage> {
    requireComuneStaff(caller, comuneId);
    const cursor = validatePage(first, after, filter);
    const page = await this.page(em, { comuneId, ...filter }, first, cursor);
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
      { portalRecipient: this.portalRecipient(caller.fiscalCode) },
      first,
      cursor,
    );
    return { ...page, nodes: page.nodes.map((row) => view(row, false)) };
  }

  /**
   * The language of the caller's next messages from the Comuni: Italian until chosen (and for a
   * person whose codice fiscale is not known). UNAUTHENTICATED when anonymous.
   */
  async language(em: EntityManager, caller: Caller): Promise<MessageLanguage> {
    if (caller.kind === 'anonymous') throw DomainError.unauthenticated();
    if (caller.kind !== 'person' || !caller.fiscalCode) return DEFAULT_MESSAGE_LANGUAGE;
    const chosen = await messageLanguageOf(em, this.portalRecipient(caller.fiscalCode));
    return chosen ?? DEFAULT_MESSAGE_LANGUAGE;
  }

  /**
   * Sets the language of the caller's next messages from the Comuni (`it` or `en`): BAD_USER_INPUT
   * (field `language`) for any other value, FORBIDDEN for a person whose codice fiscale is not
   * known (the Comuni write to nobody without one), UNAUTHENTICATED when anonymous.
   */
  async setLanguage(em: EntityManager, caller: Caller, language: string): Promise<MessageLanguage> {
    if (caller.kind === 'anonymous') throw DomainError.unauthenticated();
    if (!(MESSAGE_LANGUAGES as readonly string[]).includes(language)) {
      new FieldErrors()
        .add(
          'language',
          'Scelga italiano (it) o inglese (en).',
          'Choose Italian (it) or English (en).',
        )
        .throwIfAny();
    }
    if (caller.kind !== 'person' || !caller.fiscalCode) {
      throw DomainError.forbidden({
        it: 'Senza codice fiscale non si ricevono messaggi dai Comuni.',
        en: 'Without a codice fiscale no messages come from the Comuni.',
      });
    }
    const chosen = language as MessageLanguage;
    await saveMessageLanguage(em, this.portalRecipient(caller.fiscalCode), chosen);
    return chosen;
  }

  /**
   * A household's messages as its Comune's staff read them, newest first (at most `limit`): those
   * of its applications and PORTAL messages to its members. No access check (the household file
   * checks the caller).
   */
  async forHousehold(
    em: EntityManager,
    comuneId: string,
    applicationIds: string[],
    memberHashes: string[],
    limit: number,
  ): Promise<MessageView[]> {
    const rows = await householdMessageRows(em, comuneId, applicationIds, memberHashes, limit);
    return rows.map((row) => view(row, true));
  }

  private async page(
    em: EntityManager,
    scope: MessageScope,
    first: number,
    cursor: Cursor | undefined,
  ): Promise<{
    nodes: MessageRow[];
    totalCount: number;
    hasNextPage: boolean;
    endCursor: string | null;
  }> {
    const totalCount = await countMessages(em, scope);
    const rows = await messageRows(em, scope, cursor, first + 1);
    const nodes = rows.slice(0, first);
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      totalCount,
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor({ createdUs: last.created_us, id: last.id }) : null,
    };
  }
}

function view(row: MessageRow, staff: boolean): MessageView {
  return {
    id: row.id,
    template: row.template,
    channel: row.channel,
    recipient: row.channel === 'PORTAL' ? PORTAL_RECIPIENT_LABEL : row.recipient,
    subject: row.subject,
    body: row.body,
    language: row.language,
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

function validatePage(
  first: number,
  after: string | null | undefined,
  filter: SentMessageFilter = {},
): Cursor | undefined {
  const errors = new FieldErrors();
  if (filter.template && !(TEMPLATE_CODES as readonly string[]).includes(filter.template)) {
    errors.add(
      'template',
      `Tipo di messaggio sconosciuto: usi uno di ${TEMPLATE_CODES.join(', ')}.`,
      `Unknown kind of message: use one of ${TEMPLATE_CODES.join(', ')}.`,
    );
  }
  if (filter.campaignId && !isUuid(filter.campaignId)) {
    errors.add('campaignId', 'Identificativo non valido.', 'Malformed id.');
  }
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
