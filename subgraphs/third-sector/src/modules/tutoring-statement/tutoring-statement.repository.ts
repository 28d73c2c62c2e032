import type { EntityManager } from '@mikro-orm/postgresql';
import { MAX_DELIVERED_LESSONS } from '@welfare/kit/contracts';
import { ROME, S } from '../tutoring-shared/sql.js';

/** A held lesson of a programme the Comune funds, with its programme's tariff. */
export interface DeliveredLessonRow {
  lesson_id: string;
  programme_id: string;
  programme_title: string;
  provider_id: string;
  day: string;
  starts_at: Date;
  ends_at: Date;
  hourly_tariff_cents: number | null;
}

/**
 * The lessons held (PLANNED, at least one seated pupil marked PRESENT: the hours report's "held")
 * of the programmes the Comune funds, ended by the end of `upTo` (a day in Italy), oldest first
 * (`MAX_DELIVERED_LESSONS` at most).
 */
export function findDeliveredLessons(
  em: EntityManager,
  comuneId: string,
  upTo: string,
): Promise<DeliveredLessonRow[]> {
  return em.execute<DeliveredLessonRow[]>(
    `select l.id as lesson_id, p.id as programme_id, p.title as programme_title,
            p.provider_id, to_char((l.starts_at at time zone '${ROME}')::date, 'YYYY-MM-DD') as day,
            l.starts_at, l.ends_at, p.hourly_tariff_cents
       from ${S}."tutoring_lesson" l
       join ${S}."tutoring_programme" p on p.id = l.programme_id
      where p.comune_id = ?
        and l.status = 'PLANNED'
        and l.ends_at < ((?::date + 1)::timestamp at time zone '${ROME}')
        and exists (select 1 from ${S}."tutoring_booking" b
                     where b.lesson_id = l.id and b.attendance = 'PRESENT')
      order by l.ends_at, l.id
      limit ${MAX_DELIVERED_LESSONS}`,
    [comuneId, upTo],
  );
}
