import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
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

  /**
   * A page of the employer's employees by family and given name (index `employee_employer_idx`),
   * optionally only those whose name, codice fiscale or e-mail contains `search`; with the total.
   */
  async pageOf(
    em: EntityManager,
    employerId: string,
    search: string,
    limit: number,
    offset: number,
  ): Promise<{ items: Employee[]; totalCount: number }> {
    const where: FilterQuery<Employee> = { employerId };
    if (search) {
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.$or = [
        { familyName: { $ilike: like } },
        { givenName: { $ilike: like } },
        { fiscalCode: { $ilike: like } },
        { email: { $ilike: like } },
      ];
    }
    const [items, totalCount] = await em.findAndCount(Employee, where, {
      orderBy: { familyName: 'asc', givenName: 'asc', id: 'asc' },
      limit,
      offset,
    });
    return { items, totalCount };
  }

  /** One employee of the employer (null when missing or another employer's). */
  findOf(em: EntityManager, employerId: string, id: string): Promise<Employee | null> {
    return em.findOne(Employee, { id, employerId });
  }
}
