import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldErrors, type Caller } from '@welfare/kit';
import { romeDayStart } from '@welfare/kit/dates';
import { fringeBenefitCap, type LegalFigures } from '../../legal.js';
import { Employee } from '../employee/employee.entity.js';
import type { ClaimRepository } from '../claim/claim.repository.js';
import { nextMonth } from '../claim/claim.repository.js';
import { TransferCode, book } from '../ledger/ledger.js';
import { Plan } from '../plan/plan.entity.js';
import { requireHr } from '../shared/access.js';

/** One employee's line of a month's payroll export, in cents. */
export interface PayrollRow {
  employeeId: string;
  fiscalCode: string;
  familyName: string;
  givenName: string;
  categoryCode: string;
  /** Approved reimbursement claims of the month (art. 51 c.2 d-bis, f-bis, f-ter: not taxable). */
  reimbursementsCents: number;
  reimbursementsCount: number;
  /** Fringe benefits granted in the month (book transfers with code FRINGE_BENEFIT). */
  fringeBenefitsCents: number;
  /** Fringe benefits of the tax year up to the month's end (the running total). */
  fringeBenefitsYearCents: number;
  /** The cap that applies to the employee in the year (with or without dependent children). */
  fringeBenefitCapCents: number;
  /**
   * Fringe benefits taxable in the month: none while the running total stays within the cap;
   * once crossed, the whole year's total in the month it is crossed (the earlier months' too,
   * to be recovered by payroll) and each month's amount after.
   */
  fringeBenefitsTaxableCents: number;
  /** Fringe benefits not taxable in the month (within the cap). */
  fringeBenefitsNonTaxableCents: number;
  /** Reimbursements and fringe benefits within the cap. */
  nonTaxableCents: number;
  taxableCents: number;
  /** True when the year's running total crossed the cap (by the month's end). */
  capExceeded: boolean;
}

/** A month's payroll export of an employer. */
export interface PayrollMonth {
  employerId: string;
  /** `YYYY-MM`. */
  month: string;
  rows: PayrollRow[];
  /** The source of the cap applied (the law). */
  capSource: string;
}

/** What the employee's fringe benefits make taxable in a month (see `PayrollRow`). */
export function fringeTaxation(
  priorCents: number,
  monthCents: number,
  capCents: number,
): { taxable: number; nonTaxable: number } {
  const total = priorCents + monthCents;
  if (total <= capCents) return { taxable: 0, nonTaxable: monthCents };
  if (priorCents <= capCents) return { taxable: total, nonTaxable: 0 };
  return { taxable: monthCents, nonTaxable: 0 };
}

/**
 * The monthly payroll export: per employee, the reimbursements paid and the fringe benefits of the
 * month, taxable and not (art. 51 TUIR, the caps of `legal.ts`). The employer's HR only.
 */
export class PayrollService {
  constructor(
    private readonly claims: ClaimRepository,
    private readonly legalFigures: LegalFigures,
  ) {}

  async month(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    month: string,
  ): Promise<PayrollMonth> {
    requireHr(caller, employerId);
    const errors = new FieldErrors();
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || month < '2000-01' || month > '2100-12') {
      errors.add('month', 'Indicare un mese (AAAA-MM).', 'Give a month (YYYY-MM).');
    }
    errors.throwIfAny();
    const year = Number(month.slice(0, 4));
    const monthStart = romeDayStart(`${month}-01`);
    const monthEnd = romeDayStart(nextMonth(month));
    const yearStart = romeDayStart(`${year}-01-01`);

    const paid = await this.claims.paidIn(em, employerId, month);
    const plans = await em.find(Plan, { employerId }, { fields: ['id'] });
    const set = {
      owner: { kind: 'employee', scopeIds: plans.map((p) => p.id), accountKind: 'HOLDER' },
    };
    const fringe = async (from: Date, until: Date) => {
      const byEmployee = new Map<string, number>();
      if (plans.length === 0) return byEmployee;
      const groups = await book.movementGroups(em, set, {
        by: ['owner'],
        codes: [TransferCode.FRINGE_BENEFIT],
        from,
        until,
      });
      for (const g of groups) {
        if (g.ownerId)
          byEmployee.set(g.ownerId, (byEmployee.get(g.ownerId) ?? 0) + g.debits - g.credits);
      }
      return byEmployee;
    };
    const [prior, current] = await Promise.all([
      fringe(yearStart, monthStart),
      fringe(monthStart, monthEnd),
    ]);

    const ids = new Set([...paid.map((c) => c.employeeId), ...current.keys()]);
    const employees =
      ids.size === 0
        ? []
        : await em.find(
            Employee,
            { id: { $in: [...ids] }, employerId },
            { orderBy: { familyName: 'asc', givenName: 'asc', fiscalCode: 'asc' } },
          );
    const rows = employees.map((e): PayrollRow => {
      const mine = paid.filter((c) => c.employeeId === e.id);
      const reimbursements = mine.reduce((sum, c) => sum + c.amountCents, 0);
      const before = prior.get(e.id) ?? 0;
      const now = current.get(e.id) ?? 0;
      const cap = fringeBenefitCap(this.legalFigures, year, e.dependentChildren).capCents;
      const { taxable, nonTaxable } = fringeTaxation(before, now, cap);
      return {
        employeeId: e.id,
        fiscalCode: e.fiscalCode,
        familyName: e.familyName,
        givenName: e.givenName,
        categoryCode: e.categoryCode,
        reimbursementsCents: reimbursements,
        reimbursementsCount: mine.length,
        fringeBenefitsCents: now,
        fringeBenefitsYearCents: before + now,
        fringeBenefitCapCents: cap,
        fringeBenefitsTaxableCents: taxable,
        fringeBenefitsNonTaxableCents: nonTaxable,
        nonTaxableCents: reimbursements + nonTaxable,
        taxableCents: taxable,
        capExceeded: before + now > cap,
      };
    });
    return {
      employerId,
      month,
      rows,
      capSource: fringeBenefitCap(this.legalFigures, year, 0).source,
    };
  }
}
