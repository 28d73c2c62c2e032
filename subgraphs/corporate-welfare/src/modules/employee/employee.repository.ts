import type { EntityManager } from '@mikro-orm/postgresql';
import { Employee } from './employee.entity.js';

/** The queries of employees: the services hold the rules, this file the reads and writes. */
export class EmployeeRepository {
  /**
   * The employments of a person, by codice fiscale (index `employee_fiscal_code_idx`), at every
   * employer: in force on `day` (started, not ended before it) when a day is given, all otherwise.
   * This is how an employee who logged in with SPID/CIE finds their plans.
   */
  byFiscalCode(em: EntityManager, fiscalCode: string, day?: string): Promise<Employee[]> {
    return em.find(
      Employee,
      day
        ? {
            fiscalCode,
            startDate: { $lte: day },
            $or: [{ endDate: null }, { endDate: { $gte: day } }],
          }
        : { fiscalCode },
      { orderBy: { employerId: 'asc' } },
    );
  }
}
