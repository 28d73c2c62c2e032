import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { PollingLoop } from '@welfare/kit/polling';
import type { ReconciliationService } from './reconciliation.service.js';

/** After a failed pass (Stripe unreachable), try again in this long. */
const RETRY_MS = 15 * 60_000;

/**
 * The nightly reconciliation: a background loop in the subgraph's process that runs one when the
 * last is older than the interval (any process may hold the loop; an advisory lock keeps the run
 * to one at a time).
 */
export class ReconciliationJob {
  private readonly loop: PollingLoop;

  constructor(orm: MikroORM, service: ReconciliationService, intervalMs: number, logger: Logger) {
    this.loop = new PollingLoop(
      async () => {
        const wait = await service.runIfDue(orm.em.fork(), intervalMs);
        return { nextPassInMs: Math.max(1_000, wait) };
      },
      Math.min(intervalMs, RETRY_MS),
      (err) => logger.error({ err }, 'reconciliation failed'),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
