import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { PollingLoop } from '@welfare/kit/polling';
import { PermanentDeliveryError, type EmailTransport } from './transports.js';

/** How the dispatcher paces itself (the `MESSAGE_*` settings). */
export interface DispatcherSettings {
  batchSize: number;
  pollMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  sendTimeoutMs: number;
}

interface DueRow {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

/** What one pass did. */
interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

const T = '"identity"."outbox_message"';
const MAX_ERROR_LENGTH = 500;

/**
 * Delivers identity's e-mail outbox, as public-welfare's dispatcher does: each pass claims up to
 * `batchSize` due PENDING rows with `select … for update skip locked` in a transaction, hands them
 * to the transport and, in the same transaction, marks each SENT, retries it later (doubling wait)
 * or marks it FAILED. Delivered and FAILED rows lose their body (it holds a recovery link); a row
 * only recorded (the embedded run) keeps it. Safe with several dispatchers at once.
 */
export class OutboxDispatcher {
  private readonly loop: PollingLoop;

  constructor(
    private readonly orm: MikroORM,
    private readonly transport: EmailTransport,
    private readonly settings: DispatcherSettings,
    private readonly logger: Logger,
    /** Never written to `last_error` or the logs (the SMTP password). */
    private readonly secrets: readonly string[] = [],
  ) {
    this.loop = new PollingLoop(
      async () => {
        const result = await this.dispatchOnce();
        return {
          nextPassInMs: result.claimed >= this.settings.batchSize ? 0 : this.settings.pollMs,
        };
      },
      this.settings.pollMs,
      (err) => this.logger.error({ err: this.errorText(err) }, 'e-mail dispatch failed'),
    );
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.transport.close?.();
  }

  /** One pass: claims, sends and settles up to `batchSize` due messages. */
  async dispatchOnce(): Promise<DispatchResult> {
    return this.orm.em.fork().transactional(async (tx) => {
      const rows = await tx.execute<DueRow[]>(
        `select "id", "recipient", "subject", "body", "attempts" from ${T}
          where "status" = 'PENDING' and "next_attempt_at" <= now()
          order by "next_attempt_at", "id" limit ? for update skip locked`,
        [this.settings.batchSize],
      );
      const result: DispatchResult = { claimed: rows.length, sent: 0, retried: 0, failed: 0 };
      for (const row of rows) {
        const attempts = row.attempts + 1;
        try {
          const receipt = await withTimeout(this.transport.send(row), this.settings.sendTimeoutMs);
          await tx.execute(
            `update ${T} set "status" = 'SENT', "sent_at" = now(), "attempts" = ?,
                    "body" = case when ? then "body" else '' end,
                    "last_error" = ? where "id" = ?`,
            [
              attempts,
              receipt.recordedOnly === true,
              receipt.recordedOnly ? 'embedded: not delivered' : null,
              row.id,
            ],
          );
          result.sent++;
        } catch (err) {
          const error = this.errorText(err);
          if (err instanceof PermanentDeliveryError || attempts >= this.settings.maxAttempts) {
            await tx.execute(
              `update ${T} set "status" = 'FAILED', "attempts" = ?, "last_error" = ?, "body" = ''
                where "id" = ?`,
              [attempts, error, row.id],
            );
            result.failed++;
            this.logger.warn({ messageId: row.id, attempts, error }, 'e-mail failed');
          } else {
            const delay = Math.min(
              this.settings.retryMaxMs,
              this.settings.retryBaseMs * 2 ** Math.min(attempts - 1, 40),
            );
            await tx.execute(
              `update ${T} set "attempts" = ?, "last_error" = ?,
                      "next_attempt_at" = now() + (? * interval '1 millisecond') where "id" = ?`,
              [attempts, error, delay, row.id],
            );
            result.retried++;
          }
        }
      }
      return result;
    });
  }

  /** An error as text with every secret replaced, at most 500 characters. */
  private errorText(err: unknown): string {
    let text = err instanceof Error ? err.message : String(err);
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      text = text.split(secret).join('[redacted]');
    }
    text = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1[redacted]@');
    return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
