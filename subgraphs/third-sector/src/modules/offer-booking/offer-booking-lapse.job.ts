import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { PollingLoop } from '@welfare/kit/polling';
import type { OfferBookingService } from './offer-booking.service.js';

/** Bookings lapsed in one statement at most. */
const BATCH = 500;

/**
 * Runs in the subgraph's process: every `intervalMs` one pass lapses the priced bookings whose
 * time to pay has passed (EXPIRED, UNPAID). The place is already free the moment `payBy` passes
 * (a new booking of the day lapses them first, under the offer's lock); the job makes the
 * bookings' lists tell the truth. Passes are safe in several processes at once (each skips the
 * rows another has locked); a full batch is followed at once by the next.
 */
export class OfferBookingLapseJob {
  private readonly loop: PollingLoop;

  constructor(orm: MikroORM, bookings: OfferBookingService, intervalMs: number, logger: Logger) {
    this.loop = new PollingLoop(
      async () => {
        const lapsed = await bookings.lapseOverdue(orm.em.fork(), BATCH);
        if (lapsed > 0) logger.info({ lapsed }, 'unpaid bookings lapsed');
        return { nextPassInMs: lapsed >= BATCH ? 0 : intervalMs };
      },
      intervalMs,
      (err) =>
        logger.error(
          { err: err instanceof Error ? err.name : 'unknown error' },
          'booking lapse pass failed',
        ),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
