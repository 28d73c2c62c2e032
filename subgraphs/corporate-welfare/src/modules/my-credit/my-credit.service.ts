import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller } from '@welfare/kit';
import { requirePerson } from '@welfare/kit/access';
import type { Account, Movement } from '@welfare/kit/book';
import type { Employee } from '../employee/employee.entity.js';
import type { EmployeeRepository } from '../employee/employee.repository.js';
import type { FringeBenefitStatus, FringeService } from '../fringe/fringe.service.js';
import { TransferCode, book } from '../ledger/ledger.js';
import type { Plan } from '../plan/plan.entity.js';
import type { MyCreditRepository } from './my-credit.repository.js';

/** The kinds of movement on an employee's credit (the book's transfer codes). */
export const CREDIT_MOVEMENT_KINDS = Object.values(TransferCode);
export type CreditMovementKind = (typeof CREDIT_MOVEMENT_KINDS)[number];

/** One plan an employee is in, with their credit in it (from the book). */
export interface MyWelfarePlan {
  employeeId: string;
  employerId: string;
  plan: Plan;
  categoryCode: string;
  categoryName: string | null;
  /** The book's account of the employee's credit in the plan (null before any credit). */
  accountId: string | null;
  /** Credited to the employee (credit, bonus conversions, carry-overs, less reversals). */
  grantedCents: number;
  /** Posted balance: credited less spent. */
  balanceCents: number;
  /** Held by checkouts not yet captured. */
  pendingCents: number;
  /** What can be spent now (`balanceCents - pendingCents`). */
  availableCents: number;
  fringeBenefit: FringeBenefitStatus;
}

/** One movement of an employee's credit, newest first, with the balance after it. */
export interface CreditMovement {
  id: string;
  at: Date;
  kind: CreditMovementKind;
  /** Signed: positive when credit arrives, negative when it leaves. */
  amountCents: number;
  balanceAfterCents: number;
}

export interface CreditMovementPage {
  nodes: CreditMovement[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** The codes whose movements make up the credit granted (credits less reversals). */
const GRANT_CREDITS: string[] = [
  TransferCode.CREDIT,
  TransferCode.BONUS_CONVERSION,
  TransferCode.PLAN_END_CARRY_OVER,
];

/** A movement that moved money: single-phase transfers and posts of holds (not holds, voids). */
const moved = (m: Movement) => m.status === 'POSTED' && m.expiresAt === null;

/**
 * The employee's own view of their corporate welfare (`myWelfarePlans`): a citizen logged in with
 * SPID/CIE finds, by codice fiscale, every employment at every employer and each plan they are in,
 * with the credit granted, the balance, what checkouts hold, the fringe-benefit status and the
 * movements of the credit. Nobody else's: the key is the caller's own codice fiscale.
 */
export class MyCreditService {
  constructor(
    private readonly repository: MyCreditRepository,
    private readonly employees: EmployeeRepository,
    private readonly fringe: FringeService,
  ) {}

  /** The caller's plans ([] for a person without a codice fiscale). */
  async mine(em: EntityManager, caller: Caller): Promise<MyWelfarePlan[]> {
    const person = requirePerson(caller);
    if (!person.fiscalCode) return [];
    const fiscalCode = person.fiscalCode;
    return book.snapshot(em, async (view) => {
      const employments = await this.employees.byFiscalCode(view, fiscalCode);
      const out: MyWelfarePlan[] = [];
      for (const employee of employments) out.push(...(await this.plansOf(view, employee)));
      return out;
    });
  }

  /** One employment's plans, with the credit of each. */
  private async plansOf(em: EntityManager, employee: Employee): Promise<MyWelfarePlan[]> {
    const accounts = await book.accounts(em, {
      owner: { kind: 'employee', ids: [employee.id] },
    });
    const byPlan = new Map<string, Account>(accounts.map((a) => [a.owner?.scopeId ?? '', a]));
    const plans = await this.repository.plansOf(
      em,
      employee.employerId,
      employee.categoryCode,
      [...byPlan.keys()].filter((k) => k !== ''),
    );
    const totals = accounts.length
      ? await book.movementTotals(em, { ids: accounts.map((a) => a.id) }, { by: 'account' })
      : [];
    const fringe = new Map<number, FringeBenefitStatus>();
    const out: MyWelfarePlan[] = [];
    for (const plan of plans) {
      const account = byPlan.get(plan.id) ?? null;
      const of = (codes: string[], side: 'credits' | 'debits') =>
        totals
          .filter((t) => t.accountId === account?.id && codes.includes(t.code ?? ''))
          .reduce((n, t) => n + t[side], 0);
      if (!fringe.has(plan.year))
        fringe.set(plan.year, await this.fringe.statusOf(em, employee, plan.year));
      const category = plan.categories.getItems().find((c) => c.code === employee.categoryCode);
      out.push({
        employeeId: employee.id,
        employerId: employee.employerId,
        plan,
        categoryCode: employee.categoryCode,
        categoryName: category?.name ?? null,
        accountId: account?.id ?? null,
        grantedCents: of(GRANT_CREDITS, 'credits') - of([TransferCode.CREDIT_REVERSAL], 'debits'),
        balanceCents: account?.posted ?? 0,
        pendingCents: account?.debitsPending ?? 0,
        availableCents: account?.available ?? 0,
        fringeBenefit: fringe.get(plan.year)!,
      });
    }
    return out;
  }

  /**
   * The movements of the employee's credit in the plan that moved money, newest first, a page at a
   * time (`after`: the previous page's `endCursor`), each with the posted balance after it. For a
   * plan returned by `mine` (its access already checked).
   */
  async movements(
    em: EntityManager,
    plan: MyWelfarePlan,
    first: number,
    after: string | null,
  ): Promise<CreditMovementPage> {
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw DomainError.badInput([
        { field: 'first', message: { it: 'Da 1 a 100.', en: 'From 1 to 100.' } },
      ]);
    const before = after === null || after === undefined ? null : Number(after);
    if (before !== null && (!/^\d{1,15}$/.test(after ?? '') || before < 1))
      throw DomainError.badInput([
        { field: 'after', message: { it: 'Cursore non valido.', en: 'Invalid cursor.' } },
      ]);
    if (!plan.accountId) return { nodes: [], hasNextPage: false, endCursor: null };
    const accountId = plan.accountId;
    return book.snapshot(em, async (view) => {
      const account = await book.balance(view, accountId);
      // The balance after the newest movement of the page: today's, less what moved after it.
      let balance =
        account.posted - (before === null ? 0 : await newerNet(view, accountId, before));
      const page = await book.statement(
        view,
        { ids: [accountId] },
        { limit: first, ...(before === null ? {} : { before }) },
      );
      const nodes: CreditMovement[] = [];
      for (const m of page.items.filter(moved)) {
        nodes.push({
          id: m.transferId,
          at: m.createdAt,
          kind: (m.code ?? TransferCode.CREDIT) as CreditMovementKind,
          amountCents: m.amount,
          balanceAfterCents: balance,
        });
        balance -= m.amount;
      }
      return {
        nodes,
        hasNextPage: page.next !== null,
        endCursor: page.next === null ? null : String(page.next),
      };
    });
  }
}

/** What moved on the account after the transfer `before` (seq), newest first, all of it. */
async function newerNet(em: EntityManager, accountId: string, before: number): Promise<number> {
  let sum = 0;
  let cursor: number | undefined;
  for (;;) {
    const page = await book.statement(em, { ids: [accountId] }, { limit: 500, before: cursor });
    for (const m of page.items) if (m.seq >= before && moved(m)) sum += m.amount;
    if (page.next === null || page.next <= before) return sum;
    cursor = page.next;
  }
}
