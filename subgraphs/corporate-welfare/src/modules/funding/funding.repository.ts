import type { EntityManager } from '@mikro-orm/postgresql';
import { Employee } from '../employee/employee.entity.js';

/** The reads of funding: the employees a plan credits. */
export class FundingRepository {
  /**
   * The employer's employees in force on `day` (started, not ended before it) in one of the
   * categories, by id (index `employee_employer_idx` narrows to the employer).
   */
  inForce(
    em: EntityManager,
    employerId: string,
    categoryCodes: readonly string[],
    day: string,
  ): Promise<Employee[]> {
    if (categoryCodes.length === 0) return Promise.resolve([]);
    return em.find(
      Employee,
      {
        employerId,
        categoryCode: { $in: [...categoryCodes] },
        startDate: { $lte: day },
        $or: [{ endDate: null }, { endDate: { $gte: day } }],
      },
      { orderBy: { id: 'asc' } },
    );
  }
}
