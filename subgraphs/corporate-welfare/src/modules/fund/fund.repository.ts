import type { EntityManager } from '@mikro-orm/postgresql';
import { EmployeeRepository } from '../employee/employee.repository.js';
import { Plan } from '../plan/plan.entity.js';
import { accountCodes, book } from '../ledger/ledger.js';

/* The fund module's reads and locks (the book's own tables only through the kit's Book API). */

/** A plan whose credit a person holds, as one of its employees. */
export interface HeldPlan {
  plan: Plan;
  /** The person's employment at the plan's employer. */
  employeeId: string;
  /** The employee's credit account in the plan (`plan:<p>:employee:<emp>`). */
  accountCode: string;
  /** What the employee can spend of it now (posted credits less debits and holds), 0 or more. */
  availableCents: number;
}

const employees = new EmployeeRepository();

/**
 * The plans that pay services in kind whose credit the person (by codice fiscale) holds on `today`
 * (Italian day): the person is an employee in force at the plan's employer, the plan is ACTIVE,
 * its purposes include SERVICES_IN_KIND, `today` is within its validity, and the employee has a
 * credit account in it (the plan credited them). Ending soonest first. Every category: the caller
 * filters by the offer's.
 */
export async function plansHeldBy(
  em: EntityManager,
  fiscalCode: string,
  today: string,
): Promise<HeldPlan[]> {
  const employments = await employees.byFiscalCode(em, fiscalCode, today);
  if (!employments.length) return [];
  const plans = await em.find(
    Plan,
    {
      employerId: { $in: [...new Set(employments.map((e) => e.employerId))] },
      status: 'ACTIVE',
      validFrom: { $lte: today },
      validUntil: { $gte: today },
    },
    { orderBy: { validUntil: 'asc', id: 'asc' } },
  );
  const pairs = plans
    .filter((p) => p.purposes.includes('SERVICES_IN_KIND'))
    .flatMap((plan) =>
      employments
        .filter((e) => e.employerId === plan.employerId)
        .map((e) => ({
          plan,
          employeeId: e.id,
          accountCode: accountCodes.employee(plan.id, e.id),
        })),
    );
  if (!pairs.length) return [];
  const accounts = await book.accounts(em, { codes: pairs.map((p) => p.accountCode) });
  const byCode = new Map(accounts.map((a) => [a.code, a]));
  return pairs.flatMap((p) => {
    const account = byCode.get(p.accountCode);
    return account ? [{ ...p, availableCents: Math.max(0, account.available) }] : [];
  });
}
