import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller } from '@welfare/kit';
import { isUuid, requirePerson } from '@welfare/kit/access';
import type { Account, TransferInput } from '@welfare/kit/book';
import { romeToday } from '@welfare/kit/dates';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  owners,
} from '../ledger/ledger.js';
import type { Plan } from '../plan/plan.entity.js';
import type { PlanRepository } from '../plan/plan.repository.js';
import { badPlanId, type PlanService } from '../plan/plan.service.js';
import type { EmployeeInForce, FundingRepository } from './funding.repository.js';

/** A plan's money so far, from its pool's movements in the book. */
export interface FundingTotals {
  /** What the employer put into the plan (FUNDING to the pool), in cents. */
  fundedCents: number;
  /** What the pool credited to employees (CREDIT), in cents. */
  creditedCents: number;
  /** Employees credited. */
  employeesCredited: number;
  /** The pool's balance: funded and not (or no longer) credited to an employee, in cents. */
  poolBalanceCents: number;
}

/** What one crediting did. */
export interface CreditOutcome {
  /** Employees credited now (0 when they all were already). */
  employeesCredited: number;
  /** Cents credited now. */
  creditedCents: number;
}

/** The id of the CREDIT of an employee's credit in a plan: one per employee and plan, ever. */
export const creditTransferId = (planId: string, employeeId: string) =>
  deterministicId('corporate-welfare', 'credit', planId, employeeId);

/**
 * Funding a plan: the employer's money into the plan's pool (FUNDING, issuer to pool), then each
 * employee's credit (CREDIT, pool to the employee's account), in one transaction, applied once
 * (deterministic transfer ids, the plan's row locked). Employees enrolled later are credited by
 * `creditEnrolled` (the enrolment import calls it after a commit).
 *
 * Who is credited: the employees in force, in one of the plan's categories, on the plan's first
 * day or today, whichever is later (an employee starting after that is credited by a later
 * `creditEnrolled`, once in force). A category with no credit opens the accounts and moves
 * nothing.
 */
export class FundingService {
  constructor(
    private readonly repository: FundingRepository,
    private readonly planRepository: PlanRepository,
    private readonly plans: PlanService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Funds a published plan (its employer's HR): the FUNDING of the sum of the credits, every
   * covered employee's CREDIT, the plan ACTIVE with `fundedAt`; all or nothing. Funding a plan
   * already funded returns it as it is. CONFLICT for a plan not published, or ended.
   */
  async fund(em: EntityManager, caller: Caller, planId: string): Promise<Plan> {
    requirePerson(caller);
    if (!isUuid(planId)) throw badPlanId();
    return em.transactional(async (tx) => {
      const plan = await this.plans.lockOwn(tx, caller, planId);
      if (plan.fundedAt || plan.status !== 'DRAFT') return plan;
      if (!plan.publishedAt) {
        throw DomainError.conflict({
          it: 'Pubblicare il piano prima di finanziarlo.',
          en: 'Publish the plan before funding it.',
        });
      }
      const today = romeToday(this.now);
      if (plan.validUntil < today) {
        throw DomainError.conflict({
          it: 'Il periodo di validità del piano è terminato.',
          en: 'The plan’s validity period has ended.',
        });
      }
      await this.credit(tx, plan, today);
      plan.status = 'ACTIVE';
      plan.fundedAt = this.now();
      await tx.flush();
      return plan;
    });
  }

  /**
   * Credits the employees of the employer enrolled after its plans were funded: for every ACTIVE
   * plan not ended, every employee in force in one of its categories and not credited yet (a
   * FUNDING of their credit, then their CREDIT). Idempotent; safe concurrently (each plan's row is
   * locked, in id order). A service call (the enrolment import's, after it commits): no caller.
   */
  async creditEnrolled(em: EntityManager, employerId: string): Promise<CreditOutcome> {
    const today = romeToday(this.now);
    const run = async (tx: EntityManager): Promise<CreditOutcome> => {
      const total: CreditOutcome = { employeesCredited: 0, creditedCents: 0 };
      for (const { id } of await this.planRepository.activeOf(tx, employerId)) {
        const plan = await this.planRepository.lock(tx, id);
        if (!plan || plan.status !== 'ACTIVE' || plan.validUntil < today) continue;
        const outcome = await this.credit(tx, plan, today);
        total.employeesCredited += outcome.employeesCredited;
        total.creditedCents += outcome.creditedCents;
      }
      return total;
    };
    return em.isInTransaction() ? run(em) : em.transactional(run);
  }

  /** The plan's money so far (its pool's movements). Zeros before it is funded. */
  async totals(em: EntityManager, plan: Plan): Promise<FundingTotals> {
    const [pool] = await book.accounts(em, { codes: [accountCodes.pool(plan.id)] });
    if (!pool)
      return { fundedCents: 0, creditedCents: 0, employeesCredited: 0, poolBalanceCents: 0 };
    const rows = await book.movementTotals(
      em,
      { ids: [pool.id] },
      { codes: [TransferCode.FUNDING, TransferCode.CREDIT], by: 'set' },
    );
    const funded = rows.find((r) => r.code === TransferCode.FUNDING);
    const credited = rows.find((r) => r.code === TransferCode.CREDIT);
    return {
      fundedCents: funded?.credits ?? 0,
      creditedCents: credited?.debits ?? 0,
      employeesCredited: credited?.count ?? 0,
      poolBalanceCents: pool.posted,
    };
  }

  /**
   * Credits, in the caller's transaction with the plan locked, the plan's employees in force
   * not credited yet: their accounts opened, one FUNDING of the sum (its id names the employees,
   * so a replay of the same crediting is the same transfer), then one CREDIT each.
   */
  private async credit(tx: EntityManager, plan: Plan, today: string): Promise<CreditOutcome> {
    const day = plan.validFrom > today ? plan.validFrom : today;
    const creditOf = new Map(plan.categories.getItems().map((c) => [c.code, c.creditCents]));
    const employees = await this.repository.inForce(tx, plan.employerId, [...creditOf.keys()], day);
    const done = new Set(
      (
        await book.transfersById(
          tx,
          employees.map((e) => creditTransferId(plan.id, e.id)),
        )
      ).map((t) => t.id),
    );
    const due = employees.filter((e) => !done.has(creditTransferId(plan.id, e.id)));
    const accounts = await this.openAccounts(tx, plan, due);
    const idOf = (code: string) => accounts.get(code)!.id;
    const paid = due.filter((e) => (creditOf.get(e.categoryCode) ?? 0) > 0);
    const sum = paid.reduce((s, e) => s + creditOf.get(e.categoryCode)!, 0);
    if (sum === 0) return { employeesCredited: 0, creditedCents: 0 };
    const pool = idOf(accountCodes.pool(plan.id));
    await book.transfer(tx, {
      id: deterministicId('corporate-welfare', 'funding', plan.id, ...paid.map((e) => e.id)),
      debit: idOf(accountCodes.issuer(plan.employerId)),
      credit: pool,
      amount: sum,
      code: TransferCode.FUNDING,
      reference: `plan:${plan.id}`,
    });
    const credits: TransferInput[] = paid.map((e) => ({
      id: creditTransferId(plan.id, e.id),
      debit: pool,
      credit: idOf(accountCodes.employee(plan.id, e.id)),
      amount: creditOf.get(e.categoryCode)!,
      code: TransferCode.CREDIT,
      reference: `plan:${plan.id}`,
    }));
    await book.transferMany(tx, credits);
    return { employeesCredited: paid.length, creditedCents: sum };
  }

  /** The employer's issuer account, the plan's pool and the employees' accounts, opened. */
  private openAccounts(
    tx: EntityManager,
    plan: Plan,
    employees: EmployeeInForce[],
  ): Promise<Map<string, Account>> {
    return book.openAccounts(tx, [
      {
        code: accountCodes.issuer(plan.employerId),
        kind: AccountKind.ISSUER,
        allowNegative: true,
        owner: owners.employer(plan.employerId),
      },
      { code: accountCodes.pool(plan.id), kind: AccountKind.FUND, owner: owners.plan(plan.id) },
      ...employees.map((e) => ({
        code: accountCodes.employee(plan.id, e.id),
        kind: AccountKind.HOLDER,
        owner: owners.employee(e.id, plan.id),
      })),
    ]);
  }
}
