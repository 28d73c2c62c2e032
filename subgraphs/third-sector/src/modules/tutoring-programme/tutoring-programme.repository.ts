import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@welfare/kit/access';
import { ROME, S } from '../tutoring-shared/sql.js';
import { TutoringProgramme } from './tutoring-programme.entity.js';

/** A programme by id (null for a malformed id). */
export async function findProgramme(
  em: EntityManager,
  id: string,
): Promise<TutoringProgramme | null> {
  if (!isUuid(id)) return null;
  return em.findOne(TutoringProgramme, { id });
}

/**
 * The programme under its row lock (`select … for update`), read afresh: what serialises the
 * changes of one programme and of its budget.
 */
export async function lockProgramme(
  tx: EntityManager,
  id: string,
): Promise<TutoringProgramme | null> {
  if (!isUuid(id)) return null;
  const [raw] = await tx.execute<{ id: string }[]>(
    `select id from ${S}."tutoring_programme" where id = ? for update`,
    [id],
  );
  if (!raw) return null;
  return tx.findOne(TutoringProgramme, { id }, { refresh: true });
}

/** OPEN programmes ending on `today` or later, of a Comune or all, by start (200 at most). */
export function findOpenProgrammes(
  em: EntityManager,
  comuneId: string | null,
  today: string,
): Promise<TutoringProgramme[]> {
  return em.find(
    TutoringProgramme,
    { status: 'OPEN', endsOn: { $gte: today }, ...(comuneId ? { comuneId } : {}) },
    { orderBy: { startsOn: 'asc', title: 'asc' }, limit: 200 },
  );
}

/** Programmes by funder or by provider, newest start first (500 at most). */
export function findProgrammesOf(
  em: EntityManager,
  where: { comuneId: string } | { providerId: string },
): Promise<TutoringProgramme[]> {
  return em.find(TutoringProgramme, where, {
    orderBy: { startsOn: 'desc', title: 'asc' },
    limit: 500,
  });
}

/** The most seats of a planned lesson of the programme (null without lessons). */
export async function largestPlannedCapacity(
  tx: EntityManager,
  programmeId: string,
): Promise<number | null> {
  const [biggest] = await tx.execute<{ max: number | null }[]>(
    `select max(capacity) as max from ${S}."tutoring_lesson" where programme_id = ? and status = 'PLANNED'`,
    [programmeId],
  );
  return biggest?.max ?? null;
}

/** Planned lessons of the programme whose Rome day falls outside `startsOn`–`endsOn`. */
export async function countPlannedLessonsOutside(
  tx: EntityManager,
  programmeId: string,
  startsOn: string,
  endsOn: string,
): Promise<number> {
  const [outside] = await tx.execute<{ n: string }[]>(
    `select count(*) as n from ${S}."tutoring_lesson"
      where programme_id = ? and status = 'PLANNED'
        and ((starts_at at time zone '${ROME}')::date < ?::date or (starts_at at time zone '${ROME}')::date > ?::date)`,
    [programmeId, startsOn, endsOn],
  );
  return Number(outside?.n ?? 0);
}

/** Gives a cancelled lesson's minutes back to the programme's budget. */
export async function releasePlannedMinutes(
  tx: EntityManager,
  programmeId: string,
  minutes: number,
): Promise<void> {
  await tx.execute(
    `update ${S}."tutoring_programme" set planned_minutes = planned_minutes - ?, version = version + 1 where id = ?`,
    [minutes, programmeId],
  );
}

/** Programmes by id. */
export async function findProgrammesById(
  em: EntityManager,
  ids: string[],
): Promise<Map<string, TutoringProgramme>> {
  const rows = await em.find(TutoringProgramme, { id: { $in: ids } });
  return new Map(rows.map((p) => [p.id, p]));
}
