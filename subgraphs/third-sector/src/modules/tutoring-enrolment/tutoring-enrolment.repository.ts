import type { EntityManager } from '@mikro-orm/postgresql';
import { TutoringEnrolment } from './tutoring-enrolment.entity.js';

/** A family's enrolments, newest first. */
export function findEnrolmentsOfFamily(
  em: EntityManager,
  familyId: string,
): Promise<TutoringEnrolment[]> {
  return em.find(TutoringEnrolment, { familyId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
}

/** An enrolment by id, or by id and family. */
export function findEnrolment(
  em: EntityManager,
  where: { id: string; familyId?: string },
): Promise<TutoringEnrolment | null> {
  return em.findOne(TutoringEnrolment, where);
}

/** Enrolments by id. */
export async function findEnrolmentsById(
  em: EntityManager,
  ids: string[],
): Promise<Map<string, TutoringEnrolment>> {
  const rows = await em.find(TutoringEnrolment, { id: { $in: ids } });
  return new Map(rows.map((e) => [e.id, e]));
}
