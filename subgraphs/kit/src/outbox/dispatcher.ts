import { inspect } from 'node:util';
import type { MikroORM } from '@mikro-orm/postgresql';
import { quoteSchema } from '../book/schema.js';
import type { Logger } from '../logger.js';
import { PollingLoop } from '../polling.js';
import {
  PermanentDeliveryError,
  type DeliveryReceipt,
  type MessageChannel,
  type MessageTransport,
  type OutgoingMessage,
} from './transports.js';

/** How the dispatcher paces itself (see the `MESSAGE_*` settings). */
export interface DispatcherSettings {
  /** Rows claimed per transaction. */
  batchSize: number;
  /** Wait between polls when no message is due, in ms. */
  pollMs: number;
  /** Attempts before a message is FAILED. */
  maxAttempts: number;
  /** Wait after the first failed attempt, in ms; doubled after each further failure. */
  retryBaseMs: number;
  /** Longest wait between two attempts, in ms. */
  retryMaxMs: number;
  /** Longest wait for one delivery, in ms (the transaction holds the batch's locks meanwhile). */
  sendTimeoutMs: number;
}

/** The wait before attempt `attempts + 1`, after `attempts` failed ones (1, 2, …). */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, attempts - 1);
  // 2 ** 40 already exceeds any sensible maximum; avoid Infinity.
  return Math.min(maxMs, baseMs * 2 ** Math.min(exponent, 40));
}

const MAX_ERROR_LENGTH = 500;

/**
 * An error as text for `last_error`: its message (and its cause's), with every secret
 * replaced and credentials in URLs masked, at most 500 characters.
 */
export function safeErrorText(err: unknown, secrets: readonly string[]): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 3 && current; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : inspect(current, { depth: 1 }));
      current = undefined;
    }
  }
  let text = parts.filter((p) => p.length > 0).join(': ') || 'unknown error';
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret) text = text.split(secret).join('[redacted]');
  }
  text = text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1[redacted]@')
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]');
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

interface DueRow {
  id: string;
  comune_id: string;
  channel: MessageChannel;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

type Outcome =
  | { kind: 'sent'; receipt: DeliveryReceipt }
  | { kind: 'failed'; error: string; permanent: boolean };

/** What one pass did. */
export interface DispatchResult {
  /** Rows claimed (due PENDING messages locked by this pass). */
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

/** Which outbox table a dispatcher delivers: `<schema>.<table>`, made by `outboxTableSql`. */
export interface OutboxTable {
  schema: string;
  /** `message` unless told. */
  table?: string;
}

/** The quoted `"schema"."table"` of an outbox. */
export function outboxTableName(t: OutboxTable): string {
  const table = t.table ?? 'message';
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`Bad table name: ${table}`);
  return `${quoteSchema(t.schema)}."${table}"`;
}

/**
 * Delivers the outbox. Each pass claims up to `batchSize` due PENDING rows with
 * `select … for update skip locked` in a transaction, hands them to their channel's transport,
 * and in the same transaction marks each SENT (`sent_at`), schedules a retry (`attempts + 1`,
 * `next_attempt_at = now() + backoff`) or marks it FAILED (after `maxAttempts`, or at once for a
 * permanent refusal). Any number of dispatchers (in one process or many) may run: a row is locked
 * by one pass at a time and leaves PENDING in the pass that delivers it, so each message is sent
 * once. A crash between a provider's acceptance and the commit leaves the row PENDING and it is
 * sent again (at least once): the SMTP Message-ID and the SMS `reference` carry the row id so the
 * receiving side can recognise the repeat.
 */
export class OutboxDispatcher {
  private readonly loop: PollingLoop;
  private readonly S: string;

  constructor(
    private readonly orm: MikroORM,
    table: OutboxTable,
    private readonly transports: Record<MessageChannel, MessageTransport>,
    private readonly settings: DispatcherSettings,
    private readonly logger: Logger,
    /** Never written to `last_error` or the logs (SMTP password, SMS API key). */
    private readonly secrets: readonly string[] = [],
  ) {
    this.S = outboxTableName(table);
    this.loop = new PollingLoop(
      async () => {
        const result = await this.dispatchOnce();
        // A full batch: more may be due, go on at once (but let other work run first).
        return {
          nextPassInMs: result.claimed >= this.settings.batchSize ? 0 : this.settings.pollMs,
        };
      },
      this.settings.pollMs,
      (err) =>
        this.logger.error({ err: safeErrorText(err, this.secrets) }, 'message dispatch failed'),
    );
  }

  /** Starts polling; returns at once. */
  start(): void {
    this.loop.start();
  }

  /** Stops polling, waits for the pass under way to commit, and closes the transports. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled(
      Object.values(this.transports).map((t) => t.close?.() ?? Promise.resolve()),
    );
  }

  /** One pass: claims, sends and settles up to `batchSize` due messages. */
  async dispatchOnce(): Promise<DispatchResult> {
    const em = this.orm.em.fork();
    const S = this.S;
    return em.transactional(async (tx) => {
      const rows = await tx.execute<DueRow[]>(
        `select "id", "comune_id", "channel", "recipient", "subject", "body", "attempts"
           from ${S}
          where "status" = 'PENDING' and "next_attempt_at" <= now()
          order by "next_attempt_at", "id"
          limit ?
          for update skip locked`,
        [this.settings.batchSize],
      );
      const result: DispatchResult = { claimed: rows.length, sent: 0, retried: 0, failed: 0 };
      if (rows.length === 0) return result;

      const outcomes = await Promise.all(rows.map((row) => this.deliver(row)));
      for (const [i, row] of rows.entries()) {
        const outcome = outcomes[i]!;
        if (outcome.kind === 'sent') {
          result.sent++;
          await tx.execute(
            `update ${S} set "status" = 'SENT', "sent_at" = now(), "attempts" = "attempts" + 1,
                    "last_error" = ? where "id" = ?`,
            [outcome.receipt.note ?? null, row.id],
          );
          this.logger.debug(
            { messageId: row.id, channel: row.channel, providerId: outcome.receipt.providerId },
            'message sent',
          );
          continue;
        }
        const attempts = row.attempts + 1;
        if (outcome.permanent || attempts >= this.settings.maxAttempts) {
          result.failed++;
          await tx.execute(
            `update ${S} set "status" = 'FAILED', "attempts" = ?, "last_error" = ? where "id" = ?`,
            [attempts, outcome.error, row.id],
          );
          this.logger.warn(
            { messageId: row.id, channel: row.channel, attempts, error: outcome.error },
            'message failed',
          );
        } else {
          result.retried++;
          const delay = backoffDelay(attempts, this.settings.retryBaseMs, this.settings.retryMaxMs);
          await tx.execute(
            `update ${S} set "attempts" = ?, "last_error" = ?,
                    "next_attempt_at" = now() + (? * interval '1 millisecond') where "id" = ?`,
            [attempts, outcome.error, delay, row.id],
          );
          this.logger.info(
            { messageId: row.id, channel: row.channel, attempts, delayMs: delay },
            'message delivery will be retried',
          );
        }
      }
      return result;
    });
  }

  private async deliver(row: DueRow): Promise<Outcome> {
    const message: OutgoingMessage = {
      id: row.id,
      comuneId: row.comune_id,
      channel: row.channel,
      recipient: row.recipient,
      subject: row.subject,
      body: row.body,
      attempts: row.attempts,
    };
    const transport = this.transports[row.channel];
    try {
      if (!transport) throw new PermanentDeliveryError(`no transport for ${row.channel}`);
      const receipt = await withTimeout(transport.send(message), this.settings.sendTimeoutMs);
      return { kind: 'sent', receipt };
    } catch (err) {
      return {
        kind: 'failed',
        error: safeErrorText(err, this.secrets),
        permanent: err instanceof PermanentDeliveryError,
      };
    }
  }
}

/** `promise`, or a rejection after `ms` (the transports have their own timeouts too). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
