import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { PollingLoop } from '@welfare/kit/polling';
import type { PaymentService } from './payment.service.js';

/**
 * The card's fallback: captures, on a schedule, the IES parts of card payments left HELD (the
 * voucher part committed, the capture's outcome unknown: ies-circuit did not answer in time).
 * Capture is idempotent in ies-circuit, so a part is never moved twice; the hold lasts an hour, so
 * the part is not lost while ies-circuit comes back. Safe in several processes at once.
 */
export class IesRecoveryJob {
  private readonly loop: PollingLoop;

  constructor(orm: MikroORM, payments: PaymentService, intervalMs: number, logger: Logger) {
    this.loop = new PollingLoop(
      async () => {
        const settled = await payments.recoverIes(orm.em.fork());
        if (settled > 0) logger.info({ settled }, 'IES recovery: held IES parts settled');
        return { nextPassInMs: intervalMs };
      },
      intervalMs,
      (err) => logger.error({ err }, 'IES recovery: pass failed'),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
