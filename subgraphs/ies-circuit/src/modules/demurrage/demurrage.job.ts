import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { PollingLoop } from '@welfare/kit/polling';
import type { DemurrageService } from './demurrage.service.js';

/**
 * Runs the circuits' demurrage and expiry on a schedule (hourly by default): each wallet is
 * charged once a month (a deterministic transfer id), so passes may run as often as wanted and in
 * several processes at once. A wallet skipped (spent meanwhile) is tried again at the next pass.
 */
export class DemurrageJob {
  private readonly loop: PollingLoop;

  constructor(orm: MikroORM, demurrage: DemurrageService, intervalMs: number, logger: Logger) {
    this.loop = new PollingLoop(
      async () => {
        const done = await demurrage.run(orm.em.fork(), (walletId, err) =>
          logger.warn({ walletId, err }, 'demurrage: wallet skipped, retried at the next pass'),
        );
        if (done.demurrageCharged + done.expired > 0) logger.info(done, 'demurrage: pass done');
        return { nextPassInMs: intervalMs };
      },
      intervalMs,
      (err) => logger.error({ err }, 'demurrage: pass failed'),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
