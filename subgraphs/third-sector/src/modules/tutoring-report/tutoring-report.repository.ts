import type { EntityManager } from '@mikro-orm/postgresql';
import { S } from '../tutoring-shared/sql.js';

/** One lesson of a programme with its tutor, room and counts of bookings per attendance. */
export interface ReportLessonRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  status: string;
  tutor_id: string;
  tutor_name: string;
  room_name: string;
  seated: string;
  present: string;
  absent: string;
  justified: string;
}

/** Every lesson of the programme (also cancelled), by start, with its counts. */
export function findReportLessonRows(
  em: EntityManager,
  programmeId: string,
): Promise<ReportLessonRow[]> {
  return em.execute<ReportLessonRow[]>(
    `select l.id, l.starts_at, l.ends_at, l.status, t.id as tutor_id, t.display_name as tutor_name, r.name as room_name,
            count(b.id) filter (where b.status = 'SEATED') as seated,
            count(b.id) filter (where b.attendance = 'PRESENT') as present,
            count(b.id) filter (where b.attendance = 'ABSENT') as absent,
            count(b.id) filter (where b.attendance = 'JUSTIFIED') as justified
       from ${S}."tutoring_lesson" l
       join ${S}."tutoring_tutor" t on t.id = l.tutor_id
       join ${S}."tutoring_room" r on r.id = l.room_id
       left join ${S}."tutoring_booking" b on b.lesson_id = l.id
      where l.programme_id = ?
      group by l.id, t.id, r.name
      order by l.starts_at, l.id`,
    [programmeId],
  );
}
