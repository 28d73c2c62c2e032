import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';

/** An employee as funding needs them: who, and in which category. */
export interface EmployeeInForce {
  id: string;
  categoryCode: string;
}

/** The reads of funding: the employees a plan credits. */
export class FundingRepository {
  /**
   * The employer's employees in force on `day` (started, not ended before it) in one of the
   * categories, by id: plain rows, not entities (a plan may credit tens of thousands at once, and
   * the unit of work need not track them). Index `employee_employer_idx` narrows to the employer.
   */
  async inForce(
    em: EntityManager,
    employerId: string,
    categoryCodes: readonly string[],
    day: string,
  ): Promise<EmployeeInForce[]> {
    if (categoryCodes.length === 0) return [];
    const rows = await em.execute<{ id: string; category_code: string }[]>(
      `select id, category_code from corporate_welfare.employee
        where employer_id = ? and category_code = any(?::text[])
          and start_date <= ?::date and (end_date is null or end_date >= ?::date)
        order by id`,
      [employerId, arrayLiteral([...categoryCodes]), day, day],
    );
    return rows.map((r) => ({ id: r.id, categoryCode: r.category_code }));
  }
}
