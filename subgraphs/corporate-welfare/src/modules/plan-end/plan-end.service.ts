import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller } from '@welfare/kit';
import { isUuid, requirePerson } from '@welfare/kit/access';
import type { TransferInput } from '@welfare/kit/book';
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

/** What closing a plan moved. */
export interface PlanClosure {
  plan: Plan;
  /** Unspent credit and uncredited funds returned to the employer (PLAN_END_RETURN), in cents. */
  returnedCents: number;
  /** Unspent credit carried over to the employees' accounts in the next plan, in cents. */
  carriedOverCents: number;
  /** The plan the credit was carried over to (CARRY_OVER with a next ACTIVE plan), or null. */
  carriedOverTo: Plan | null;
  /**
   * True when the plan's rule is CARRY_OVER but the employer had no next ACTIVE plan: the unspent
   * credit went back to the employer instead.
   */
  carryOverFellBack: boolean;
}

/** Plans a pass of the closing job closes at most. */
const JOB_BATCH = 50;

/** The reference of a plan's end transfers (to total them). */
const endReference = (planId: string) => `plan-end:${planId}`;

/**
 * A plan's end: once its last day has passed, HR (or the periodic job, `closeEnded`) closes it,
 * and its end rule moves the unspent credit, exactly once (the plan's row locked, deterministic
 * transfer ids):
 * - RETURN_TO_EMPLOYER: each employee's unspent credit to the pool (PLAN_END_RETURN), then the
 *   pool's whole balance (what was never credited too) to the employer's issuer account;
 * - CARRY_OVER: each employee's unspent credit to their account in the employer's next ACTIVE
 *   plan (PLAN_END_CARRY_OVER); with no such plan it returns to the employer, and the closure
 *   says so (`carryOverFellBack`). The pool's balance returns to the employer either way.
 *
 * Pending holds (a catalogue payment under way): the plan is NOT closed while an employee of it
 * has one (CONFLICT for HR, skipped by the job until the next pass): the hold is posted, voided
 * or expires within minutes, and moving the credit under it would leave the payment nothing to
 * post. Payroll and provider accounts are not touched: what they hold is owed already.
 */
export class PlanEndService {
  constructor(
    private readonly planRepository: PlanRepository,
    private readonly plans: PlanService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Closes an ACTIVE plan after its last day (its employer's HR). Closing a CLOSED plan returns
   * what its closing moved, as it is. CONFLICT before the plan ends, for a plan never funded, or
   * while an employee has a pending payment.
   */
  async close(em: EntityManager, caller: Caller, planId: string): Promise<PlanClosure> {
    requirePerson(caller);
    if (!isUuid(planId)) throw badPlanId();
    return em.transactional(async (tx) => {
      const plan = await this.plans.lockOwn(tx, caller, planId);
      return this.closeLocked(tx, plan);
    });
  }

  /**
   * The job's pass: closes the ACTIVE plans whose last day has passed, each in its own
   * transaction (one that cannot close now, e.g. a pending payment, is left for the next pass).
   * Returns how many it closed.
   */
  async closeEnded(
    em: EntityManager,
    onSkip?: (planId: string, err: unknown) => void,
  ): Promise<number> {
    const ids = await this.planRepository.endedBefore(em.fork(), romeToday(this.now), JOB_BATCH);
    let closed = 0;
    for (const id of ids) {
      try {
        const done = await em.fork().transactional(async (tx) => {
          const plan = await this.planRepository.lock(tx, id);
          if (!plan || plan.status !== 'ACTIVE') return false;
          await this.closeLocked(tx, plan);
          return true;
        });
        if (done) closed += 1;
      } catch (err) {
        onSkip?.(id, err);
      }
    }
    return closed;
  }

  /** What a closed plan's end moved (from the book), or zeros for a plan not closed. */
  async closure(em: EntityManager, plan: Plan): Promise<PlanClosure> {
    const rows = await book.movementTotals(
      em,
      { owner: { kind: 'employee', scopeIds: [plan.id] } },
      {
        codes: [TransferCode.PLAN_END_RETURN, TransferCode.PLAN_END_CARRY_OVER],
        referencePrefix: endReference(plan.id),
        by: 'set',
      },
    );
    const [pool] = await book.accounts(em, { codes: [accountCodes.pool(plan.id)] });
    const poolReturn = pool
      ? await book.movementTotals(
          em,
          { ids: [pool.id] },
          {
            codes: [TransferCode.PLAN_END_RETURN],
            referencePrefix: endReference(plan.id),
            by: 'set',
          },
        )
      : [];
    const carried = rows.find((r) => r.code === TransferCode.PLAN_END_CARRY_OVER);
    // Carried-over credit leaves this plan's employee accounts and reaches the next plan's (also
    // employee accounts, of another scope): what left this plan's is the carried amount.
    const carriedOverCents = carried ? carried.debits : 0;
    const returnedCents =
      poolReturn.find((r) => r.code === TransferCode.PLAN_END_RETURN)?.debits ?? 0;
    const nextId = plan.carriedOverTo ?? null;
    const carriedOverTo = nextId ? await this.planRepository.get(em, nextId) : null;
    return {
      plan,
      returnedCents,
      carriedOverCents,
      carriedOverTo,
      carryOverFellBack: plan.status === 'CLOSED' && plan.endRule === 'CARRY_OVER' && !nextId,
    };
  }

  /** Closes the plan locked in `tx` (or returns what its closing moved, if it is closed). */
  private async closeLocked(tx: EntityManager, plan: Plan): Promise<PlanClosure> {
    if (plan.status === 'CLOSED') return this.closure(tx, plan);
    if (plan.status !== 'ACTIVE') {
      throw DomainError.conflict({
        it: 'Solo un piano finanziato si può chiudere.',
        en: 'Only a funded plan can be closed.',
      });
    }
    if (plan.validUntil >= romeToday(this.now)) {
      throw DomainError.conflict({
        it: 'Il piano si può chiudere solo dopo il suo ultimo giorno di validità.',
        en: 'The plan can be closed only after its last day of validity.',
      });
    }
    const accounts = await book.lockAccounts(tx, {
      owner: { kind: 'employee', scopeIds: [plan.id], accountKind: AccountKind.HOLDER },
    });
    if (accounts.some((a) => a.debitsPending > 0)) {
      throw DomainError.conflict({
        it: 'Un dipendente ha un pagamento in corso: riprovare tra qualche minuto.',
        en: 'An employee has a payment under way: try again in a few minutes.',
      });
    }
    const next =
      plan.endRule === 'CARRY_OVER' ? await this.planRepository.nextActive(tx, plan) : null;
    const [poolAccount] = await book.accounts(tx, { codes: [accountCodes.pool(plan.id)] });
    const issuerCode = accountCodes.issuer(plan.employerId);
    const issuer = (
      await book.openAccounts(tx, [
        {
          code: issuerCode,
          kind: AccountKind.ISSUER,
          allowNegative: true,
          owner: owners.employer(plan.employerId),
        },
      ])
    ).get(issuerCode)!;
    const reference = endReference(plan.id);
    const unspent = accounts.filter((a) => a.posted > 0 && a.owner?.id);
    const moves: TransferInput[] = [];
    if (next) {
      const opened = await book.openAccounts(
        tx,
        unspent.map((a) => ({
          code: accountCodes.employee(next.id, a.owner!.id),
          kind: AccountKind.HOLDER,
          owner: owners.employee(a.owner!.id, next.id),
        })),
      );
      for (const a of unspent) {
        moves.push({
          id: deterministicId('corporate-welfare', 'plan-end', plan.id, a.owner!.id),
          debit: a.id,
          credit: opened.get(accountCodes.employee(next.id, a.owner!.id))!.id,
          amount: a.posted,
          code: TransferCode.PLAN_END_CARRY_OVER,
          reference: `${reference}:to:${next.id}`,
        });
      }
    } else {
      for (const a of unspent) {
        moves.push({
          id: deterministicId('corporate-welfare', 'plan-end', plan.id, a.owner!.id),
          debit: a.id,
          credit: poolAccount!.id,
          amount: a.posted,
          code: TransferCode.PLAN_END_RETURN,
          reference,
        });
      }
    }
    await book.transferMany(tx, moves);
    const pool = poolAccount ? await book.balance(tx, poolAccount.id) : null;
    if (pool && pool.posted > 0) {
      await book.transfer(tx, {
        id: deterministicId('corporate-welfare', 'plan-end', plan.id, 'pool'),
        debit: pool.id,
        credit: issuer.id,
        amount: pool.posted,
        code: TransferCode.PLAN_END_RETURN,
        reference,
      });
    }
    plan.status = 'CLOSED';
    plan.closedAt = this.now();
    plan.carriedOverTo = next?.id ?? null;
    await tx.flush();
    return this.closure(tx, plan);
  }
}
