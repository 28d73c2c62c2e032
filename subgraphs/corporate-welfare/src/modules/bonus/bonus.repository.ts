import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Employee } from '../employee/employee.entity.js';
import { Plan } from '../plan/plan.entity.js';
import { BonusConversion, type BonusConversionStatus } from './bonus-conversion.entity.js';

/** The queries of bonus conversions. */
export class BonusRepository {
  plan(em: EntityManager, planId: string): Promise<Plan | null> {
    return em.findOne(Plan, planId);
  }

  employee(em: EntityManager, employeeId: string): Promise<Employee | null> {
    return em.findOne(Employee, employeeId);
  }

  /** The ACTIVE plans of the employers allowing conversion and in force on `day`. */
  convertiblePlans(
    em: EntityManager,
    employerIds: readonly string[],
    day: string,
  ): Promise<Plan[]> {
    if (employerIds.length === 0) return Promise.resolve([]);
    return em.find(
      Plan,
      {
        employerId: { $in: [...employerIds] },
        status: 'ACTIVE',
        bonusConversion: true,
        validFrom: { $lte: day },
        validUntil: { $gte: day },
      },
      { orderBy: { year: 'desc', name: 'asc' }, populate: ['categories'] },
    );
  }

  /** The conversion, its row locked for the rest of the transaction. */
  lock(em: EntityManager, id: string): Promise<BonusConversion | null> {
    return em.findOne(BonusConversion, id, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
      refresh: true,
    });
  }

  get(em: EntityManager, id: string): Promise<BonusConversion | null> {
    return em.findOne(BonusConversion, id);
  }

  /** The employer's conversions, newest first (index `bonus_conversion_employer_idx`). */
  ofEmployer(
    em: EntityManager,
    employerId: string,
    status: BonusConversionStatus | undefined,
    limit: number,
  ): Promise<BonusConversion[]> {
    return em.find(BonusConversion, status ? { employerId, status } : { employerId }, {
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit,
    });
  }

  /** The employees' conversions, newest first (index `bonus_conversion_employee_idx`). */
  ofEmployees(
    em: EntityManager,
    employeeIds: readonly string[],
    limit: number,
  ): Promise<BonusConversion[]> {
    if (employeeIds.length === 0) return Promise.resolve([]);
    return em.find(
      BonusConversion,
      { employeeId: { $in: [...employeeIds] } },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit },
    );
  }

  /** Loads the plans and employees of the conversions (two queries) into the identity map. */
  async preload(em: EntityManager, list: readonly BonusConversion[]): Promise<void> {
    if (list.length === 0) return;
    await em.find(Plan, { id: { $in: [...new Set(list.map((c) => c.planId))] } });
    await em.find(Employee, { id: { $in: [...new Set(list.map((c) => c.employeeId))] } });
  }
}
