import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldErrors, type Caller } from '@welfare/kit';
import { Employee } from '../employee/employee.entity.js';
import type { FringeService } from '../fringe/fringe.service.js';
import { TransferCode, accountCodes, book } from '../ledger/ledger.js';
import { Plan } from '../plan/plan.entity.js';
import { requireHr } from '../shared/access.js';

/** One plan's money, from the book. */
export interface PlanUsage {
  planId: string;
  name: string;
  status: string;
  /** Employees with a credit account in the plan. */
  employees: number;
  /** What the employer put into the plan (FUNDING). */
  fundedCents: number;
  /** Funded, not credited to an employee (the pool's balance). */
  poolCents: number;
  /** Credited to employees (credits, bonus conversions, carry-overs in, less reversals). */
  creditedCents: number;
  /** Catalogue services paid with the credit, less refunds. */
  servicesCents: number;
  /** Approved reimbursements of documented expenses. */
  reimbursementsCents: number;
  /** Fringe benefits granted from the credit. */
  fringeBenefitsCents: number;
  /** Unspent credit moved by the plan's end rule (returned or carried over). */
  endedCents: number;
  /** The employees' balances (credited less spent). */
  balanceCents: number;
  /** Held by checkouts not yet completed. */
  heldCents: number;
}

/** The employer's dashboard for a tax year. */
export interface EmployerDashboard {
  employerId: string;
  year: number;
  /** Employees enrolled (every one, leavers included). */
  employees: number;
  /** Employees at WARNING against their fringe-benefit cap this year. */
  fringeWarnings: number;
  /** Employees over their fringe-benefit cap this year. */
  fringeExceeded: number;
  plans: PlanUsage[];
}

/** Employees whose fringe-benefit status the dashboard counts at most. */
const EMPLOYEE_LIMIT = 10_000;

/**
 * The employer's dashboard (issue 16, item 7): each plan of a tax year with what was funded,
 * credited and spent by purpose, read from the book in one snapshot, and the employees near or
 * over their fringe-benefit cap. The employer's HR only.
 */
export class DashboardService {
  constructor(private readonly fringe: FringeService) {}

  async dashboard(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    year: number,
  ): Promise<EmployerDashboard> {
    requireHr(caller, employerId);
    const errors = new FieldErrors();
    if (!Number.isInteger(year) || year < 2000 || year > 2100)
      errors.add('year', 'Anno non valido (2000-2100).', 'Invalid year (2000-2100).');
    errors.throwIfAny();
    return book.snapshot(em, async (view) => {
      const plans = await view.find(Plan, { employerId, year }, { orderBy: { createdAt: 'asc' } });
      const employees = await view.find(
        Employee,
        { employerId },
        { orderBy: { id: 'asc' }, limit: EMPLOYEE_LIMIT },
      );
      const statuses = await this.fringe.statusesOf(view, employees, year);
      const planIds = plans.map((p) => p.id);
      const owner = { kind: 'employee', scopeIds: planIds };
      // One after the other: the snapshot is one connection.
      const accounts = planIds.length ? await book.ownerTotals(view, owner, { by: 'scope' }) : [];
      const moves = planIds.length
        ? await book.movementTotals(view, { owner }, { by: 'scope' })
        : [];
      const pools = planIds.length
        ? await book.accounts(view, { codes: planIds.map((id) => accountCodes.pool(id)) })
        : [];
      const poolMoves = pools.length
        ? await book.movementTotals(
            view,
            { ids: pools.map((p) => p.id) },
            { by: 'account', codes: [TransferCode.FUNDING] },
          )
        : [];
      return {
        employerId,
        year,
        employees: employees.length,
        fringeWarnings: statuses.filter((s) => s.level === 'WARNING').length,
        fringeExceeded: statuses.filter((s) => s.level === 'EXCEEDED').length,
        plans: plans.map((plan) => {
          const of = (codes: string[], side: 'credits' | 'debits') =>
            moves
              .filter((t) => t.ownerKey === plan.id && codes.includes(t.code ?? ''))
              .reduce((n, t) => n + t[side], 0);
          const total = accounts.find((a) => a.scopeId === plan.id);
          const pool = pools.find((p) => p.code === accountCodes.pool(plan.id));
          return {
            planId: plan.id,
            name: plan.name,
            status: plan.status,
            employees: total?.accounts ?? 0,
            fundedCents: poolMoves
              .filter((t) => t.accountId === pool?.id)
              .reduce((n, t) => n + t.credits, 0),
            poolCents: pool?.posted ?? 0,
            creditedCents:
              of(
                [
                  TransferCode.CREDIT,
                  TransferCode.BONUS_CONVERSION,
                  TransferCode.PLAN_END_CARRY_OVER,
                ],
                'credits',
              ) - of([TransferCode.CREDIT_REVERSAL], 'debits'),
            servicesCents:
              of([TransferCode.SERVICE_PAYMENT], 'debits') -
              of([TransferCode.SERVICE_REFUND], 'credits'),
            reimbursementsCents: of([TransferCode.REIMBURSEMENT], 'debits'),
            fringeBenefitsCents: of([TransferCode.FRINGE_BENEFIT], 'debits'),
            endedCents: of(
              [TransferCode.PLAN_END_RETURN, TransferCode.PLAN_END_CARRY_OVER],
              'debits',
            ),
            balanceCents: total?.posted ?? 0,
            heldCents: total?.debitsPending ?? 0,
          };
        }),
      };
    });
  }
}
