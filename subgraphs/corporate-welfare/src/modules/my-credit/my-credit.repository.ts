import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan } from '../plan/plan.entity.js';

/** The queries of the employee's view: the service holds the rules, this file the reads. */
export class MyCreditRepository {
  /**
   * The plans an employment is in: those of its employer past DRAFT that hold a credit account of
   * the employee (`withAccount`), or ACTIVE ones covering its category; newest year first, with
   * their categories.
   */
  plansOf(
    em: EntityManager,
    employerId: string,
    categoryCode: string,
    withAccount: readonly string[],
  ): Promise<Plan[]> {
    return em.find(
      Plan,
      {
        employerId,
        status: { $ne: 'DRAFT' },
        $or: [
          { id: { $in: [...withAccount] } },
          { status: 'ACTIVE', categories: { code: categoryCode } },
        ],
      },
      { orderBy: { year: 'desc', createdAt: 'desc' }, populate: ['categories'] },
    );
  }
}
