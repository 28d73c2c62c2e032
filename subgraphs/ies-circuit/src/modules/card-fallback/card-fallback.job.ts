import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { PollingLoop } from '@welfare/kit/polling';
import type { CardFallbackService } from './card-fallback.service.js';

/**
 * Expires, on a schedule, the book's lapsed holds (a card authorisation's IES part that the POS
 * neither captured nor voided): their IES are the holders' again. Safe in several processes at
 * once (the kit's `book.expire` skips holds a concurrent post or void has locked).
 */
export class HoldExpiryJob {
  private readonly loop: PollingLoop;

  constructor(
    orm: MikroORM,
    cardFallback: CardFallbackService,
    intervalMs: number,
    logger: Logger,
  ) {
    this.loop = new PollingLoop(
      async () => {
        const expired = await cardFallback.expireLapsed(orm.em.fork());
        if (expired > 0) logger.info({ expired }, 'hold expiry: lapsed holds expired');
        return { nextPassInMs: intervalMs };
      },
      intervalMs,
      (err) => logger.error({ err }, 'hold expiry: pass failed'),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
