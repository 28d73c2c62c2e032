import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';
import { Employee } from '../employee/employee.entity.js';
import { Plan } from '../plan/plan.entity.js';
import { TransferCode, book } from '../ledger/ledger.js';
import { FringeBenefit } from './fringe.entity.js';

/** The queries of fringe benefits: the service holds the rules, this file the reads and writes. */
export class FringeRepository {
  /** An employee, at whatever employer, or null (the service checks who may see it). */
  employeeById(em: EntityManager, employeeId: string): Promise<Employee | null> {
    return em.findOne(Employee, { id: employeeId });
  }

  /**
   * An employee of the employer, its row locked (`FOR UPDATE`) until the transaction ends: every
   * change to the employee's fringe benefits takes this lock first, so that two of them never
   * count the same running total.
   */
  lockEmployee(
    tx: EntityManager,
    employerId: string,
    employeeId: string,
  ): Promise<Employee | null> {
    return tx.findOne(
      Employee,
      { id: employeeId, employerId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
  }

  /** The employer's employees by family and given name (index `employee_employer_idx`). */
  employeesOf(em: EntityManager, employerId: string, limit: number): Promise<Employee[]> {
    return em.find(
      Employee,
      { employerId },
      { orderBy: { familyName: 'asc', givenName: 'asc', id: 'asc' }, limit },
    );
  }

  /** The employer's plan, or null. */
  plan(em: EntityManager, employerId: string, planId: string): Promise<Plan | null> {
    return em.findOne(Plan, { id: planId, employerId });
  }

  /** The ids of the employer's plans of a tax year. */
  async planIdsOfYear(em: EntityManager, employerId: string, year: number): Promise<string[]> {
    const plans = await em.find(Plan, { employerId, year }, { fields: ['id'] });
    return plans.map((p) => p.id);
  }

  /** The declared fringe benefits of the employees in a tax year, summed per employee. */
  async declaredTotals(
    em: EntityManager,
    employeeIds: readonly string[],
    year: number,
  ): Promise<Map<string, number>> {
    if (employeeIds.length === 0) return new Map();
    const rows = await em.execute<{ employee_id: string; total: string }[]>(
      `select employee_id, sum(amount_cents)::text as total from corporate_welfare.fringe_benefit
        where employee_id = any(?::uuid[]) and tax_year = ? and source = 'DECLARED'
        group by employee_id`,
      [arrayLiteral(employeeIds), year],
    );
    return new Map(rows.map((r) => [r.employee_id, Number(r.total)]));
  }

  /**
   * The fringe benefits granted from the employer's plans of a tax year, per employee: the book's
   * FRINGE_BENEFIT movements on the employees' credit accounts of those plans (net of any given
   * back).
   */
  async grantedTotals(
    em: EntityManager,
    employeeIds: readonly string[],
    planIds: readonly string[],
  ): Promise<Map<string, number>> {
    if (employeeIds.length === 0 || planIds.length === 0) return new Map();
    const totals = await book.movementTotals(
      em,
      { owner: { kind: 'employee', ids: employeeIds, scopeIds: planIds } },
      { codes: [TransferCode.FRINGE_BENEFIT], by: 'owner' },
    );
    const out = new Map<string, number>();
    for (const t of totals) {
      const key = t.ownerKey ?? '';
      out.set(key, (out.get(key) ?? 0) + t.debits - t.credits);
    }
    return out;
  }

  /** An employee's fringe benefits of a tax year, newest first. */
  benefitsOf(em: EntityManager, employeeId: string, year: number): Promise<FringeBenefit[]> {
    return em.find(
      FringeBenefit,
      { employeeId, taxYear: year },
      { orderBy: { benefitDate: 'desc', createdAt: 'desc' } },
    );
  }

  /** The benefit recorded with a book transfer (a grant's replay), or null. */
  byTransfer(em: EntityManager, transferId: string): Promise<FringeBenefit | null> {
    return em.findOne(FringeBenefit, { transferId });
  }
}
