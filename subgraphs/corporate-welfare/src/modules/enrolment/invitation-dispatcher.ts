import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { PermanentDeliveryError, SmtpMailer } from '@welfare/kit/mail';
import { PollingLoop } from '@welfare/kit/polling';

const T = '"corporate_welfare"."employee_invitation"';

/** How invitations are delivered: SMTP, or (no server configured) kept in the outbox. */
export interface InvitationDelivery {
  smtp: { url: string; from: string } | null;
  /** Without SMTP: `outbox` marks them SENT with a note (demo), `fail` FAILED (production). */
  unconfigured: 'outbox' | 'fail';
  pollMs: number;
  batchSize: number;
  maxAttempts: number;
}

/** The note of invitations the embedded run did not deliver. */
export const NOT_DELIVERED_NOTE = 'embedded: not delivered';

// A lean mirror of public-welfare's message dispatcher (modules/messages/dispatcher.ts): rows
// claimed with `for update skip locked`, sent, settled in the same transaction; retried with a
// growing wait; the SMTP Message-ID carries the row id so a repeat after a crash can be spotted.

/** Delivers the invitations' outbox in the background. */
export class InvitationDispatcher {
  private readonly loop: PollingLoop;
  private readonly mailer: SmtpMailer | null;

  constructor(
    private readonly orm: MikroORM,
    private readonly delivery: InvitationDelivery,
    private readonly logger: Logger,
  ) {
    this.mailer = delivery.smtp
      ? new SmtpMailer({ ...delivery.smtp, timeoutMs: 15_000, maxConnections: 2 })
      : null;
    this.loop = new PollingLoop(
      async () => {
        const claimed = await this.dispatchOnce();
        return { nextPassInMs: claimed >= delivery.batchSize ? 0 : delivery.pollMs };
      },
      delivery.pollMs,
      (err) => this.logger.error({ err }, 'invitation dispatch failed'),
    );
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.mailer?.close();
  }

  /** One pass: claims, sends and settles up to `batchSize` due invitations; answers how many. */
  async dispatchOnce(): Promise<number> {
    return this.orm.em.fork().transactional(async (tx) => {
      const rows = await tx.execute<
        { id: string; recipient: string; subject: string; body: string; attempts: number }[]
      >(
        `select "id", "recipient", "subject", "body", "attempts" from ${T}
          where "status" = 'PENDING' and "next_attempt_at" <= now()
          order by "next_attempt_at", "id" limit ? for update skip locked`,
        [this.delivery.batchSize],
      );
      for (const row of rows) {
        try {
          let note: string | null = null;
          if (this.mailer) await this.mailer.send(row);
          else if (this.delivery.unconfigured === 'outbox') note = NOT_DELIVERED_NOTE;
          else throw new PermanentDeliveryError('no SMTP server configured');
          await tx.execute(
            `update ${T} set "status" = 'SENT', "sent_at" = now(), "attempts" = "attempts" + 1, "last_error" = ? where "id" = ?`,
            [note, row.id],
          );
        } catch (err) {
          const attempts = row.attempts + 1;
          const failed =
            err instanceof PermanentDeliveryError || attempts >= this.delivery.maxAttempts;
          const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
          await tx.execute(
            `update ${T} set "status" = ?, "attempts" = ?, "last_error" = ?,
                    "next_attempt_at" = now() + (? * interval '1 minute') where "id" = ?`,
            [failed ? 'FAILED' : 'PENDING', attempts, error, 2 ** Math.min(attempts, 10), row.id],
          );
          this.logger.warn({ invitationId: row.id, attempts, failed }, 'invitation not sent');
        }
      }
      return rows.length;
    });
  }
}
