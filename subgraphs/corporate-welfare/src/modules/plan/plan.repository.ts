import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan } from './plan.entity.js';

/** The queries of plans: the service holds the rules, this file the reads and writes. */
export class PlanRepository {
  /** The employer's plans, newest year first (index `plan_employer_idx`), with their categories. */
  listOf(em: EntityManager, employerId: string, limit: number): Promise<Plan[]> {
    return em.find(
      Plan,
      { employerId },
      { orderBy: { year: 'desc', createdAt: 'desc' }, limit, populate: ['categories'] },
    );
  }
}
