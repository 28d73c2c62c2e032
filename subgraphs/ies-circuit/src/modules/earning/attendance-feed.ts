import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Caller, Logger } from '@welfare/kit';
import {
  ATTENDANCE_FEED_PATHS,
  MAX_ATTENDANCE_PAGE,
  attendanceCursor,
  presentAttendancesResponse,
  type AttendanceCursor,
  type PresentAttendance,
} from '@welfare/kit/contracts';
import { DomainError } from '@welfare/kit/errors';
import { PollingLoop } from '@welfare/kit/polling';
import { ServiceClient } from '@welfare/kit/service';
import type { CircuitService } from '../circuit/circuit.service.js';
import { requireCircuitStaff } from '../shared/access.js';
import type { EarningRepository } from './earning.repository.js';
import type { EarningService } from './earning.service.js';

/** Reads a page of the feed: the attendances marked PRESENT after the cursor. */
export type AttendanceSource = (
  after: AttendanceCursor | null,
  limit: number,
) => Promise<PresentAttendance[]>;

/** The feed's cursor's name in `earning_cursor`. */
const CURSOR = 'third-sector:present-attendances';
/** Pages read in one pass at most (the next pass goes on). */
const MAX_PAGES = 20;

/** Third-sector's feed through its internal route, as ies-circuit (service token). */
export function thirdSectorAttendanceSource(settings: {
  privateKey: string;
  baseUrl: string;
}): AttendanceSource {
  const client = new ServiceClient({
    service: 'ies-circuit',
    privateKey: settings.privateKey,
    audience: 'third-sector',
    baseUrl: settings.baseUrl,
  });
  return async (after, limit) =>
    (
      await client.call(
        ATTENDANCE_FEED_PATHS.presentAttendances,
        { after, limit },
        presentAttendancesResponse,
      )
    ).attendances;
}

/**
 * Pulls third-sector's tutoring attendances marked PRESENT, after a cursor kept in the database,
 * and rewards each (the booker's citizen membership of the circuits its Comune manages). Durable:
 * the cursor moves past an attendance only once its reward is committed (or it earns nothing);
 * idempotent: a reward's id is derived from the booking, so an attendance read twice (a crash
 * between the reward and the cursor, a booking unmarked and marked again, two processes) earns
 * once. An empty rewards fund stops the pass where it is: the same attendance is tried again at
 * the next pass (after the manager tops the fund up).
 */
export class AttendanceFeed {
  private running: Promise<{ read: number; rewarded: number }> | null = null;

  constructor(
    private readonly earning: EarningService,
    private readonly repo: EarningRepository,
    private readonly circuits: CircuitService,
    private readonly source: AttendanceSource | null,
  ) {}

  /** One pass over the feed (one at a time in this process). */
  pass(em: EntityManager): Promise<{ read: number; rewarded: number }> {
    this.running ??= this.run(em).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** A pass now, asked by the staff of a circuit ("sync now"). */
  async sync(em: EntityManager, caller: Caller, circuitId: string) {
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitStaff(caller, circuit);
    return this.pass(em);
  }

  private async run(em: EntityManager): Promise<{ read: number; rewarded: number }> {
    let read = 0;
    let rewarded = 0;
    if (!this.source) return { read, rewarded };
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const saved = await this.repo.cursor(em, CURSOR);
      const after = saved ? attendanceCursor.parse(JSON.parse(saved)) : null;
      const attendances = await this.source(after, MAX_ATTENDANCE_PAGE);
      for (const attendance of attendances) {
        try {
          rewarded += await this.earning.rewardAttendance(em, {
            ...attendance,
            markedAt: new Date(attendance.markedAt),
          });
        } catch (err) {
          if (err instanceof DomainError && err.code === 'CONFLICT') return { read, rewarded };
          throw err;
        }
        read += 1;
        await this.repo.saveCursor(
          em,
          CURSOR,
          JSON.stringify({ markedAt: attendance.markedAt, bookingId: attendance.bookingId }),
        );
      }
      if (attendances.length < MAX_ATTENDANCE_PAGE) break;
    }
    return { read, rewarded };
  }
}

/** The feed's pass on a schedule. */
export class AttendanceFeedJob {
  private readonly loop: PollingLoop;

  constructor(orm: MikroORM, feed: AttendanceFeed, intervalMs: number, logger: Logger) {
    this.loop = new PollingLoop(
      async () => {
        const { read, rewarded } = await feed.pass(orm.em.fork());
        if (read > 0) logger.info({ read, rewarded }, 'attendance feed: attendances rewarded');
        return { nextPassInMs: intervalMs };
      },
      intervalMs,
      (err) => logger.warn({ err }, 'attendance feed: pass failed, retried at the next one'),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
