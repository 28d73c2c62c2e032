import type { EntityManager } from '@mikro-orm/postgresql';
import { TutoringTutor } from './tutoring-tutor.entity.js';

/** A programme's tutors, by name. */
export function findTutorsOfProgramme(
  em: EntityManager,
  programmeId: string,
): Promise<TutoringTutor[]> {
  return em.find(TutoringTutor, { programmeId }, { orderBy: { displayName: 'asc' } });
}

/** A tutor assignment by id, or by programme and assignment id, or by programme and person. */
export function findTutor(
  em: EntityManager,
  where: { id: string; programmeId?: string } | { programmeId: string; personId: string },
): Promise<TutoringTutor | null> {
  return em.findOne(TutoringTutor, where);
}

/** Tutor assignments by id. */
export async function findTutorsById(
  em: EntityManager,
  ids: string[],
): Promise<Map<string, TutoringTutor>> {
  const rows = await em.find(TutoringTutor, { id: { $in: ids } });
  return new Map(rows.map((t) => [t.id, t]));
}
