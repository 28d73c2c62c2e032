import type { EntityManager } from '@mikro-orm/postgresql';
import { romeDayStart } from '@welfare/kit/dates';
import { Employee } from '../employee/employee.entity.js';
import { Plan } from '../plan/plan.entity.js';
import { Claim, ClaimReceipt, type ClaimStatus } from './claim.entity.js';

/** A receipt without its content. */
export interface ReceiptMeta {
  id: string;
  claimId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

/** The queries of claims: the service holds the rules, this file the reads and writes. */
export class ClaimRepository {
  /** The employer's claims of some statuses, oldest first (index `claim_employer_idx`), a page. */
  async queue(
    em: EntityManager,
    employerId: string,
    statuses: readonly ClaimStatus[],
    page: { first: number; offset: number },
  ): Promise<{ items: Claim[]; totalCount: number }> {
    const [items, totalCount] = await em.findAndCount(
      Claim,
      { employerId, status: { $in: [...statuses] } },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: page.first, offset: page.offset },
    );
    return { items, totalCount };
  }

  /** The claims of some employments (a person's), newest first. */
  ofEmployees(em: EntityManager, employeeIds: readonly string[], limit: number): Promise<Claim[]> {
    if (employeeIds.length === 0) return Promise.resolve([]);
    return em.find(
      Claim,
      { employeeId: { $in: [...employeeIds] } },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit },
    );
  }

  /** The claims approved (paid through payroll) in a month (`YYYY-MM`, Rome) by an employer. */
  paidIn(em: EntityManager, employerId: string, month: string): Promise<Claim[]> {
    return em.find(
      Claim,
      {
        employerId,
        status: 'APPROVED',
        decidedAt: { $gte: romeDayStart(`${month}-01`), $lt: romeDayStart(nextMonth(month)) },
      },
      { orderBy: { decidedAt: 'asc' } },
    );
  }

  /** The receipts of claims, without their content, in upload order. */
  async receiptsOf(em: EntityManager, claimIds: readonly string[]): Promise<ReceiptMeta[]> {
    if (claimIds.length === 0) return [];
    const rows = await em.find(
      ClaimReceipt,
      { claimId: { $in: [...claimIds] } },
      {
        fields: ['id', 'claimId', 'fileName', 'contentType', 'sizeBytes'],
        orderBy: { claimId: 'asc', position: 'asc' },
      },
    );
    return rows.map((r) => ({
      id: r.id,
      claimId: r.claimId,
      fileName: r.fileName,
      contentType: r.contentType,
      sizeBytes: r.sizeBytes,
    }));
  }

  /** A receipt with its content. */
  receipt(em: EntityManager, id: string): Promise<ClaimReceipt | null> {
    return em.findOne(ClaimReceipt, id, { populate: ['content'] });
  }

  employees(em: EntityManager, ids: readonly string[]): Promise<Employee[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return em.find(Employee, { id: { $in: [...ids] } });
  }

  plans(em: EntityManager, ids: readonly string[]): Promise<Plan[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return em.find(Plan, { id: { $in: [...ids] } });
  }

  /** The ACTIVE plans of some employers, with their categories. */
  activePlansOf(em: EntityManager, employerIds: readonly string[]): Promise<Plan[]> {
    if (employerIds.length === 0) return Promise.resolve([]);
    return em.find(
      Plan,
      { employerId: { $in: [...employerIds] }, status: 'ACTIVE' },
      { orderBy: { year: 'desc', name: 'asc' }, populate: ['categories'] },
    );
  }
}

/** The first day of the month after `YYYY-MM`. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}
