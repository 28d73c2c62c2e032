import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@welfare/kit/access';
import { ROME, S } from '../tutoring-shared/sql.js';
import { TutoringLesson } from './tutoring-lesson.entity.js';

/** One occurrence of a weekly series: the week (0 first), its start and end. */
export interface Occurrence {
  k: number;
  starts_at: Date;
  ends_at: Date;
}

/** What the database says of one occurrence (see `checkSlot`). */
export interface SlotCheck {
  /** Start and end on the same Rome day. */
  same_day: boolean;
  /** Within one of the room's windows valid that day. */
  available: boolean;
  /** The tutor has an overlapping planned lesson. */
  tutor_busy: boolean;
  /** The room has an overlapping planned lesson. */
  room_busy: boolean;
}

/** A lesson by id (null for a malformed id). */
export async function findLesson(em: EntityManager, id: string): Promise<TutoringLesson | null> {
  if (!isUuid(id)) return null;
  return em.findOne(TutoringLesson, { id });
}

/**
 * The lesson under its row lock (`select … for update`), read afresh: what serialises its seats
 * (bookings, cancellations, the register).
 */
export async function lockLesson(tx: EntityManager, id: string): Promise<TutoringLesson | null> {
  if (!isUuid(id)) return null;
  const [raw] = await tx.execute<{ id: string }[]>(
    `select id from ${S}."tutoring_lesson" where id = ? for update`,
    [id],
  );
  if (!raw) return null;
  return tx.findOne(TutoringLesson, { id }, { refresh: true });
}

/**
 * A programme's lessons by start (1000 at most): planned ones starting after `plannedAfter`, or
 * every lesson (also cancelled) between `from` and `to`.
 */
export function findLessonsOfProgramme(
  em: EntityManager,
  programmeId: string,
  filter: { plannedAfter: Date } | { from?: Date | null; to?: Date | null },
): Promise<TutoringLesson[]> {
  const where: Record<string, unknown> = { programmeId };
  if ('plannedAfter' in filter) {
    where.status = 'PLANNED';
    where.startsAt = { $gt: filter.plannedAfter };
  } else if (filter.from || filter.to) {
    where.startsAt = {
      ...(filter.from ? { $gte: filter.from } : {}),
      ...(filter.to ? { $lt: filter.to } : {}),
    };
  }
  return em.find(TutoringLesson, where, { orderBy: { startsAt: 'asc' }, limit: 1000 });
}

/** The lessons a person teaches, from an instant on (all without it), by start (500 at most). */
export function findLessonsTaughtBy(
  em: EntityManager,
  personId: string,
  from: Date | null,
): Promise<TutoringLesson[]> {
  return em.find(
    TutoringLesson,
    { tutorPersonId: personId, ...(from ? { startsAt: { $gte: from } } : {}) },
    { orderBy: { startsAt: 'asc' }, limit: 500 },
  );
}

/** Lessons by id. */
export async function findLessonsById(
  em: EntityManager,
  ids: string[],
): Promise<Map<string, TutoringLesson>> {
  const rows = await em.find(TutoringLesson, { id: { $in: ids } });
  return new Map(rows.map((l) => [l.id, l]));
}

/**
 * The `weeks` weekly occurrences of a lesson at the same Rome wall-clock time (PostgreSQL does
 * the daylight-saving arithmetic).
 */
export function weeklyOccurrences(
  tx: EntityManager,
  start: Date,
  end: Date,
  weeks: number,
): Promise<Occurrence[]> {
  return tx.execute<Occurrence[]>(
    `select k, ((?::timestamptz at time zone '${ROME}') + make_interval(days => 7 * k)) at time zone '${ROME}' as starts_at,
            ((?::timestamptz at time zone '${ROME}') + make_interval(days => 7 * k)) at time zone '${ROME}' as ends_at
       from generate_series(0, ? - 1) as k order by k`,
    [start.toISOString(), end.toISOString(), weeks],
  );
}

/** Checks one occurrence against the room's windows (on `day`) and the planned lessons. */
export async function checkSlot(
  tx: EntityManager,
  slot: { roomId: string; tutorPersonId: string; start: Date; end: Date; day: string },
): Promise<SlotCheck> {
  const s = slot.start.toISOString();
  const e = slot.end.toISOString();
  const [check] = await tx.execute<SlotCheck[]>(
    `select
       ((?::timestamptz at time zone '${ROME}')::date = (?::timestamptz at time zone '${ROME}')::date) as same_day,
       exists (select 1 from ${S}."tutoring_room_window" w
                where w.room_id = ?
                  and w.weekday = extract(isodow from (?::timestamptz at time zone '${ROME}'))
                  and w.starts_at <= (?::timestamptz at time zone '${ROME}')::time
                  and w.ends_at >= (?::timestamptz at time zone '${ROME}')::time
                  and (w.valid_from is null or w.valid_from <= ?::date)
                  and (w.valid_until is null or w.valid_until >= ?::date)) as available,
       exists (select 1 from ${S}."tutoring_lesson" l where l.status = 'PLANNED' and l.tutor_person_id = ?
                  and tstzrange(l.starts_at, l.ends_at, '[)') && tstzrange(?::timestamptz, ?::timestamptz, '[)')) as tutor_busy,
       exists (select 1 from ${S}."tutoring_lesson" l where l.status = 'PLANNED' and l.room_id = ?
                  and tstzrange(l.starts_at, l.ends_at, '[)') && tstzrange(?::timestamptz, ?::timestamptz, '[)')) as room_busy`,
    [s, e, slot.roomId, s, s, e, slot.day, slot.day, slot.tutorPersonId, s, e, slot.roomId, s, e],
  );
  return check!;
}

/** Cancels every booking of a lesson not cancelled yet (the lesson is cancelled). */
export async function cancelBookingsOfLesson(
  tx: EntityManager,
  lessonId: string,
  at: Date,
): Promise<void> {
  await tx.execute(
    `update ${S}."tutoring_booking" set status = 'CANCELLED', cancelled_at = ? where lesson_id = ? and status <> 'CANCELLED'`,
    [at, lessonId],
  );
}
