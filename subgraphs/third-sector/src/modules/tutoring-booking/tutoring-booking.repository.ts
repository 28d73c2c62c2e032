import type { EntityManager } from '@mikro-orm/postgresql';
import type { TutoringEnrolment } from '../tutoring-enrolment/tutoring-enrolment.entity.js';
import {
  findEnrolment,
  findEnrolmentsById,
} from '../tutoring-enrolment/tutoring-enrolment.repository.js';
import { S } from '../tutoring-shared/sql.js';
import { TutoringBooking } from './tutoring-booking.entity.js';

/** A booking with its pupil and its place on the waitlist (1-based, while WAITLISTED). */
export interface BookingView {
  booking: TutoringBooking;
  enrolment: TutoringEnrolment;
  position: number | null;
}

/**
 * A lesson's or a family's bookings with their pupils, by lesson start, then seats before the
 * waitlist (in its order) before cancelled ones.
 */
export async function findBookingViews(
  em: EntityManager,
  where: { lessonId: string } | { familyId: string },
): Promise<BookingView[]> {
  const rows = await em.execute<{ id: string; position: string | null }[]>(
    `select b.id,
            case when b.status = 'WAITLISTED' then
              (select count(*) from ${S}."tutoring_booking" w where w.lesson_id = b.lesson_id and w.status = 'WAITLISTED' and w.seq <= b.seq)
            end as position
       from ${S}."tutoring_booking" b
      where ${'lessonId' in where ? 'b.lesson_id = ?' : 'b.family_id = ?'}
      order by b.starts_at, case b.status when 'SEATED' then 0 when 'WAITLISTED' then 1 else 2 end, b.seq`,
    ['lessonId' in where ? where.lessonId : where.familyId],
  );
  const ids = rows.map((r) => r.id);
  const bookings = new Map(
    (ids.length ? await em.find(TutoringBooking, { id: { $in: ids } }) : []).map((b) => [b.id, b]),
  );
  const enrolments = ids.length
    ? await findEnrolmentsById(em, [...new Set([...bookings.values()].map((b) => b.enrolmentId))])
    : new Map<string, TutoringEnrolment>();
  return rows.map((r) => {
    const booking = bookings.get(r.id)!;
    return {
      booking,
      enrolment: enrolments.get(booking.enrolmentId)!,
      position: r.position === null ? null : Number(r.position),
    };
  });
}

/** A booking with its pupil and waitlist place. */
export async function findBookingView(
  em: EntityManager,
  booking: TutoringBooking,
): Promise<BookingView> {
  const enrolment = (await findEnrolment(em, { id: booking.enrolmentId }))!;
  let position: number | null = null;
  if (booking.status === 'WAITLISTED') {
    const [row] = await em.execute<{ n: string }[]>(
      `select count(*) as n from ${S}."tutoring_booking" w
        where w.lesson_id = ? and w.status = 'WAITLISTED'
          and w.seq <= (select seq from ${S}."tutoring_booking" where id = ?)`,
      [booking.lessonId, booking.id],
    );
    position = Number(row?.n ?? 0);
  }
  return { booking, enrolment, position };
}

/** Waitlisted bookings per lesson. */
export async function countWaitlisted(
  em: EntityManager,
  lessonIds: string[],
): Promise<Map<string, number>> {
  if (lessonIds.length === 0) return new Map();
  const rows = await em.execute<{ lesson_id: string; n: string }[]>(
    `select lesson_id, count(*) as n from ${S}."tutoring_booking" where status = 'WAITLISTED' and lesson_id in (${lessonIds.map(() => '?').join(', ')}) group by lesson_id`,
    lessonIds,
  );
  return new Map(rows.map((r) => [r.lesson_id, Number(r.n)]));
}

/** A booking by id, or by id and family; `refresh` reads it afresh (under a lock). */
export function findBooking(
  em: EntityManager,
  where: { id: string; familyId?: string },
  refresh = false,
): Promise<TutoringBooking | null> {
  return em.findOne(TutoringBooking, where, refresh ? { refresh: true } : {});
}

/** The pupil's booking of the lesson that is not cancelled, if any. */
export function findLiveBooking(
  tx: EntityManager,
  lessonId: string,
  enrolmentId: string,
): Promise<TutoringBooking | null> {
  return tx.findOne(TutoringBooking, { lessonId, enrolmentId, status: { $ne: 'CANCELLED' } });
}

/** The seated bookings of a lesson. */
export function findSeatedBookings(
  tx: EntityManager,
  lessonId: string,
): Promise<TutoringBooking[]> {
  return tx.find(TutoringBooking, { lessonId, status: 'SEATED' });
}

/** True when the pupil holds a seat in a lesson overlapping `start`–`end`. */
export async function isPupilSeatedBetween(
  tx: EntityManager,
  enrolmentId: string,
  start: Date,
  end: Date,
): Promise<boolean> {
  const [row] = await tx.execute<{ busy: boolean }[]>(
    `select exists (select 1 from ${S}."tutoring_booking" where enrolment_id = ? and status = 'SEATED'
        and tstzrange(starts_at, ends_at, '[)') && tstzrange(?::timestamptz, ?::timestamptz, '[)')) as busy`,
    [enrolmentId, start.toISOString(), end.toISOString()],
  );
  return row!.busy === true;
}

/**
 * The first waitlisted booking of the lesson whose pupil holds no overlapping seat, locked
 * (`for update`); null when none.
 */
export async function lockNextWaitlisted(
  tx: EntityManager,
  lessonId: string,
): Promise<string | null> {
  const [next] = await tx.execute<{ id: string }[]>(
    `select b.id from ${S}."tutoring_booking" b
      where b.lesson_id = ? and b.status = 'WAITLISTED'
        and not exists (select 1 from ${S}."tutoring_booking" o where o.enrolment_id = b.enrolment_id and o.status = 'SEATED'
                          and tstzrange(o.starts_at, o.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)'))
      order by b.seq limit 1 for update`,
    [lessonId],
  );
  return next?.id ?? null;
}

/** Seats a waitlisted booking. */
export async function seatBooking(tx: EntityManager, id: string, at: Date): Promise<void> {
  await tx.execute(
    `update ${S}."tutoring_booking" set status = 'SEATED', seated_at = ? where id = ?`,
    [at, id],
  );
}
