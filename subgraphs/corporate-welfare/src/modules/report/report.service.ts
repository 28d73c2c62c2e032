import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { isUuid, requirePerson } from '@welfare/kit/access';
import { TIME_ZONE } from '@welfare/kit/dates';
import { DomainError } from '@welfare/kit/errors';
import { Claim } from '../claim/claim.entity.js';
import { Employee } from '../employee/employee.entity.js';
import { TransferCode, book } from '../ledger/ledger.js';
import { Plan, type PlanPurpose } from '../plan/plan.entity.js';
import { requireHr } from '../shared/access.js';

/** Credit given to and spent by the employees of one slice (a category, a purpose, a month). */
export interface UsageLine {
  /** Credited to the employees (plan credit, bonus conversions, carried over), less reversals. */
  creditedCents: number;
  /** Spent: services in kind (less refunds), reimbursements, fringe benefits. */
  spentCents: number;
}

export interface CategoryUsage extends UsageLine {
  code: string;
  name: string;
  /** Employees of the category with an account in the plan. */
  employees: number;
}

export interface PurposeUsage {
  purpose: PlanPurpose;
  spentCents: number;
  /** Movements (payments, approved claims, fringe benefits), refunds not counted. */
  count: number;
}

export interface MonthUsage extends UsageLine {
  /** `YYYY-MM`, Rome time. */
  month: string;
}

/** A plan's usage, as HR's dashboard and reports show it. */
export interface PlanReport {
  plan: Plan;
  creditedCents: number;
  spentCents: number;
  /** Unspent credit the plan's end rule moved (returned or carried over). */
  endedCents: number;
  /** What the employees hold now (posted), and of it held by checkouts in progress. */
  balanceCents: number;
  heldCents: number;
  employees: number;
  byCategory: CategoryUsage[];
  byPurpose: PurposeUsage[];
  byMonth: MonthUsage[];
}

const notFound = () => DomainError.notFound({ it: 'Piano non trovato.', en: 'Plan not found.' });

/** The purpose a spending movement counts for (null: not spending). */
function spendingPurpose(
  code: string | null,
  reference: string | null,
  claimPurposes: ReadonlyMap<string, PlanPurpose>,
): PlanPurpose | null {
  if (code === TransferCode.SERVICE_PAYMENT || code === TransferCode.SERVICE_REFUND) {
    return 'SERVICES_IN_KIND';
  }
  if (code === TransferCode.FRINGE_BENEFIT) return 'FRINGE_BENEFIT';
  if (code === TransferCode.REIMBURSEMENT) {
    return claimPurposes.get(claimIdOf(reference) ?? '') ?? null;
  }
  return null;
}

const CREDITING: readonly string[] = [
  TransferCode.CREDIT,
  TransferCode.CREDIT_REVERSAL,
  TransferCode.BONUS_CONVERSION,
  TransferCode.PLAN_END_CARRY_OVER,
];
const ENDING: readonly string[] = [TransferCode.PLAN_END_RETURN, TransferCode.PLAN_END_CARRY_OVER];

/** The claim id of a reimbursement's reference (`claim:<id>`). */
function claimIdOf(reference: string | null): string | null {
  return reference?.startsWith('claim:') ? reference.slice('claim:'.length) : null;
}

/**
 * HR's reports of a plan, read from the book: every movement of the employees' accounts in the
 * plan, grouped by employee, transfer code, reference and day (one query), then summed by the
 * employee's category, the purpose (art. 51 letter) and the month.
 */
export class ReportService {
  async planReport(em: EntityManager, caller: Caller, planId: string): Promise<PlanReport> {
    requirePerson(caller);
    if (!isUuid(planId)) throw notFound();
    const plan = await em.findOne(Plan, planId, { populate: ['categories'] });
    if (!plan) throw notFound();
    requireHr(caller, plan.employerId);
    const set = { owner: { kind: 'employee', scopeIds: [planId] } };
    // One snapshot (one connection: the reads one after the other), so the totals agree.
    const { groups, accounts, employees, claims } = await book.snapshot(em, async (view) => {
      const groups = await book.movementGroups(view, set, {
        by: ['owner', 'code', 'reference', 'day'],
        timeZone: TIME_ZONE,
      });
      const accounts = await book.accounts(view, set);
      const ids = [...new Set(accounts.flatMap((a) => (a.owner ? [a.owner.id] : [])))];
      const employees = ids.length ? await view.find(Employee, { id: { $in: ids } }) : [];
      const claimIds = groups
        .flatMap((g) => (g.code === TransferCode.REIMBURSEMENT ? [claimIdOf(g.reference)] : []))
        .filter((id): id is string => id !== null && isUuid(id));
      const claims = claimIds.length
        ? await view.find(Claim, { id: { $in: claimIds } }, { fields: ['id', 'purpose'] })
        : [];
      return { groups, accounts, employees, claims };
    });
    const employeeIds = employees.map((e) => e.id);
    const categoryOf = new Map(employees.map((e) => [e.id, e.categoryCode]));
    const claimPurposes = new Map<string, PlanPurpose>(claims.map((c) => [c.id, c.purpose]));

    const byCategory = new Map<string, CategoryUsage>();
    for (const category of plan.categories.getItems()) {
      byCategory.set(category.code, {
        code: category.code,
        name: category.name,
        employees: 0,
        creditedCents: 0,
        spentCents: 0,
      });
    }
    const categoryUsage = (code: string): CategoryUsage => {
      let line = byCategory.get(code);
      if (!line) {
        line = { code, name: code, employees: 0, creditedCents: 0, spentCents: 0 };
        byCategory.set(code, line);
      }
      return line;
    };
    for (const id of employeeIds) categoryUsage(categoryOf.get(id) ?? '?').employees += 1;

    const byPurpose = new Map<PlanPurpose, PurposeUsage>();
    const byMonth = new Map<string, MonthUsage>();
    let creditedCents = 0;
    let spentCents = 0;
    let endedCents = 0;
    for (const group of groups) {
      const category = categoryUsage(categoryOf.get(group.ownerId ?? '') ?? '?');
      const month = (group.day ?? '').slice(0, 7);
      let monthLine = byMonth.get(month);
      if (!monthLine) {
        monthLine = { month, creditedCents: 0, spentCents: 0 };
        byMonth.set(month, monthLine);
      }
      if (group.code !== null && ENDING.includes(group.code)) endedCents += group.debits;
      if (group.code !== null && CREDITING.includes(group.code)) {
        // Credit in: what reached the employee, less what was taken back (a carry-over counts in
        // the plan it reached; leaving the plan it ended, it is in `endedCents`).
        const credited =
          group.credits - (group.code === TransferCode.CREDIT_REVERSAL ? group.debits : 0);
        creditedCents += credited;
        category.creditedCents += credited;
        monthLine.creditedCents += credited;
        continue;
      }
      const purpose = spendingPurpose(group.code, group.reference, claimPurposes);
      if (!purpose) continue;
      // Spending leaves the employee's account (a refund comes back: it nets).
      const spent = group.debits - group.credits;
      spentCents += spent;
      category.spentCents += spent;
      monthLine.spentCents += spent;
      const purposeLine = byPurpose.get(purpose) ?? { purpose, spentCents: 0, count: 0 };
      purposeLine.spentCents += spent;
      if (group.debits > 0) purposeLine.count += group.count;
      byPurpose.set(purpose, purposeLine);
    }
    return {
      plan,
      creditedCents,
      spentCents,
      endedCents,
      balanceCents: accounts.reduce((sum, a) => sum + a.posted, 0),
      heldCents: accounts.reduce((sum, a) => sum + a.debitsPending, 0),
      employees: employeeIds.length,
      byCategory: [...byCategory.values()].sort((a, b) => a.code.localeCompare(b.code)),
      byPurpose: [...byPurpose.values()].sort((a, b) => a.purpose.localeCompare(b.purpose)),
      byMonth: [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month)),
    };
  }
}
