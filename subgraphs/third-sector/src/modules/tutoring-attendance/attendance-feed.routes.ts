import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  ATTENDANCE_FEED_PATHS,
  ATTENDANCE_FEED_SETTLE_MS,
  presentAttendancesRequest,
  type AttendanceCursor,
  type PresentAttendance,
} from '@welfare/kit/contracts';
import { internalRoute, type InternalRoute } from '@welfare/kit/service';
import { S } from '../tutoring-shared/sql.js';

/** The only service that reads the feed: the IES circuits reward attendance. */
export const ATTENDANCE_FEED_CALLERS = ['ies-circuit'] as const;

interface FeedRow {
  booking_id: string;
  family_id: string;
  comune_id: string;
  programme_title: string;
  marked_at: string | Date;
}

/**
 * The seated bookings marked PRESENT after the cursor, by their last marking then id, settled
 * (marked more than `ATTENDANCE_FEED_SETTLE_MS` before `now`), `limit` at most.
 */
export async function findPresentAttendances(
  em: EntityManager,
  after: AttendanceCursor | null,
  limit: number,
  now: Date,
): Promise<PresentAttendance[]> {
  const rows = await em.execute<FeedRow[]>(
    `select b.id as booking_id, b.family_id, p.comune_id, p.title as programme_title,
            b.attendance_marked_at as marked_at
       from ${S}."tutoring_booking" b
       join ${S}."tutoring_programme" p on p.id = b.programme_id
      where b.status = 'SEATED' and b.attendance = 'PRESENT'
        and b.attendance_marked_at < ?::timestamptz
        and (b.attendance_marked_at, b.id) > (?::timestamptz, ?::uuid)
      order by b.attendance_marked_at, b.id
      limit ${Math.trunc(limit)}`,
    [
      new Date(now.getTime() - ATTENDANCE_FEED_SETTLE_MS).toISOString(),
      after?.markedAt ?? '1970-01-01T00:00:00Z',
      after?.bookingId ?? '00000000-0000-0000-0000-000000000000',
    ],
  );
  return rows.map((r) => ({
    bookingId: r.booking_id,
    personId: r.family_id,
    comuneId: r.comune_id,
    programmeTitle: r.programme_title,
    markedAt: new Date(r.marked_at).toISOString(),
  }));
}

/**
 * The attendance feed (`POST /internal/ies/present-attendances`): ies-circuit's service token
 * only (401 / 403 for anyone else), the body validated by the contract (400 with fields). No effect.
 */
export function attendanceFeedRoutes(
  orm: MikroORM,
  now: () => Date = () => new Date(),
): Record<string, InternalRoute> {
  return {
    [`POST ${ATTENDANCE_FEED_PATHS.presentAttendances}`]: internalRoute({
      callers: ATTENDANCE_FEED_CALLERS,
      input: presentAttendancesRequest,
      run: async (input) => ({
        attendances: await findPresentAttendances(orm.em.fork(), input.after, input.limit, now()),
      }),
    }),
  };
}
