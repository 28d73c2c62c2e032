import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { PollingLoop } from '@welfare/kit/polling';
import type { PlanEndService } from './plan-end.service.js';

/**
 * Closes, on a schedule, the ACTIVE plans whose last day has passed (HR may close them earlier by
 * hand, from the day after). A plan that cannot close now (an employee's payment under way) is
 * logged and tried again at the next pass. Safe in several processes at once: each plan is
 * closed under its row's lock, once.
 */
export class PlanEndJob {
  private readonly loop: PollingLoop;

  constructor(orm: MikroORM, planEnd: PlanEndService, intervalMs: number, logger: Logger) {
    this.loop = new PollingLoop(
      async () => {
        const closed = await planEnd.closeEnded(orm.em.fork(), (planId, err) =>
          logger.warn({ planId, err }, 'plan end: not closed now, retried at the next pass'),
        );
        if (closed > 0) logger.info({ closed }, 'plan end: ended plans closed');
        return { nextPassInMs: intervalMs };
      },
      intervalMs,
      (err) => logger.error({ err }, 'plan end: pass failed'),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
