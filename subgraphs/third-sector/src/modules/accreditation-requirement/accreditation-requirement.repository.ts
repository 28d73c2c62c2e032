import type { EntityManager } from '@mikro-orm/postgresql';
import { AccreditationRequirement } from './accreditation-requirement.entity.js';

const BY_POSITION = { orderBy: { position: 'asc', code: 'asc' } } as const;

/** A Comune's checklist by position: its active items, and retired ones when asked. */
export function findChecklist(
  em: EntityManager,
  comuneId: string,
  withRetired: boolean,
): Promise<AccreditationRequirement[]> {
  return em.find(
    AccreditationRequirement,
    withRetired ? { comuneId } : { comuneId, retiredAt: null },
    BY_POSITION,
  );
}

/** The active items of a Comune's checklist. */
export function countActiveRequirements(em: EntityManager, comuneId: string): Promise<number> {
  return em.count(AccreditationRequirement, { comuneId, retiredAt: null });
}

/** An item by id, or by Comune and code. */
export function findRequirement(
  em: EntityManager,
  where: { id: string } | { comuneId: string; code: string },
): Promise<AccreditationRequirement | null> {
  return em.findOne(AccreditationRequirement, where);
}

/** An active item of the Comune's checklist by id. */
export function findActiveRequirement(
  em: EntityManager,
  id: string,
  comuneId: string,
): Promise<AccreditationRequirement | null> {
  return em.findOne(AccreditationRequirement, { id, comuneId, retiredAt: null });
}

/** The active items of the Comune's checklist among `ids`. */
export function findActiveRequirementsById(
  em: EntityManager,
  ids: string[],
  comuneId: string,
): Promise<AccreditationRequirement[]> {
  return em.find(AccreditationRequirement, { id: { $in: ids }, comuneId, retiredAt: null });
}

/**
 * The items a request shows, by position: those it answered (`ids`) and, with `withActive`, the
 * Comune's active items.
 */
export function findRequirementsOfRequest(
  em: EntityManager,
  comuneId: string,
  ids: string[],
  withActive: boolean,
): Promise<AccreditationRequirement[]> {
  return em.find(
    AccreditationRequirement,
    withActive
      ? { comuneId, $or: [{ retiredAt: null }, { id: { $in: ids } }] }
      : { id: { $in: ids } },
    BY_POSITION,
  );
}

/** The ids among `ids` that some request has answered (set-based). */
export async function findRequirementsInUse(
  em: EntityManager,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await em
    .getConnection()
    .execute<{ requirement_id: string }[]>(
      `select distinct requirement_id from "third_sector"."accreditation_answer" where requirement_id in (${ids.map(() => '?').join(', ')})`,
      [...ids],
    );
  return new Set(rows.map((r) => r.requirement_id));
}

/** Comuni with at least one active checklist item. */
export async function findAccreditingComuni(em: EntityManager): Promise<string[]> {
  const rows = await em
    .getConnection()
    .execute<{ comune_id: string }[]>(
      `select distinct comune_id from "third_sector"."accreditation_requirement" where retired_at is null order by comune_id`,
    );
  return rows.map((r) => r.comune_id);
}
