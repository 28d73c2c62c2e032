import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller, PersonCaller } from '@welfare/kit';
import { isUuid, requirePerson } from '@welfare/kit/access';
import { romeToday } from '@welfare/kit/dates';
import { DomainError, FieldErrors } from '@welfare/kit/errors';
import type { LegalFigures } from '../../legal.js';
import type { Employee } from '../employee/employee.entity.js';
import type { EmployeeRepository } from '../employee/employee.repository.js';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  owners,
} from '../ledger/ledger.js';
import type { Plan } from '../plan/plan.entity.js';
import { requireHr } from '../shared/access.js';
import { compareBonus, type BonusComparison } from './bonus-comparison.js';
import { BonusConversion, type BonusConversionStatus } from './bonus-conversion.entity.js';
import type { BonusRepository } from './bonus.repository.js';

/** Conversions listed at most. */
const LIST_LIMIT = 200;

/** What the employee asks: the bonus, the part to convert, last year's employment income. */
export interface BonusRequestInput {
  planId: string;
  bonusCents: number;
  convertedCents: number;
  priorYearIncomeCents: number;
}

const notFound = () =>
  DomainError.notFound({
    it: 'Piano o richiesta non trovati.',
    en: 'Plan or request not found.',
  });

/**
 * Performance bonus conversion (art. 51 c.2 TUIR and the year's bonus law): where the plan allows
 * it, an employee converts all or part of a bonus into credit, after seeing net cash against
 * credit computed from the year's configured rates (`legal.ts`); HR confirms (the credit joins the
 * employee's account, once) or rejects with a reason.
 */
export class BonusService {
  constructor(
    private readonly repository: BonusRepository,
    private readonly employees: EmployeeRepository,
    private readonly figures: LegalFigures,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The comparison for the caller, an employee in force of the plan's employer (no effect). */
  async quote(
    em: EntityManager,
    caller: Caller,
    input: BonusRequestInput,
  ): Promise<BonusComparison> {
    const { plan } = await this.employeeOfPlan(em, caller, input.planId);
    return compareBonus(this.figures, { ...input, year: plan.year });
  }

  /**
   * Records the employee's request with the comparison shown. CONFLICT while another request of
   * theirs on the plan waits for HR.
   */
  async request(
    em: EntityManager,
    caller: Caller,
    input: BonusRequestInput,
  ): Promise<BonusConversion> {
    const { person, plan, employee } = await this.employeeOfPlan(em, caller, input.planId);
    const comparison = compareBonus(this.figures, { ...input, year: plan.year });
    const conversion = em.create(BonusConversion, {
      employerId: plan.employerId,
      planId: plan.id,
      employeeId: employee.id,
      bonusCents: comparison.bonusCents,
      convertedCents: comparison.convertedCents,
      priorYearIncomeCents: input.priorYearIncomeCents,
      cashNetIfAllCashCents: comparison.allCash.netCents,
      cashNetCents: comparison.cashPart.netCents,
      taxBasisPoints: comparison.taxBasisPoints,
      contributionBasisPoints: comparison.contributionBasisPoints,
      ratesSource: comparison.source,
      requestedBy: person.personId,
    });
    try {
      await em.flush();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw DomainError.conflict({
          it: 'Hai già una richiesta di conversione in attesa per questo piano.',
          en: 'You already have a conversion request waiting for this plan.',
        });
      }
      throw error;
    }
    return conversion;
  }

  /**
   * The plans in which the caller, an employee in force today, may convert a bonus: ACTIVE, within
   * their validity, allowing conversion, at every employer of theirs.
   */
  async convertiblePlans(em: EntityManager, caller: Caller): Promise<Plan[]> {
    const person = requirePerson(caller);
    if (!person.fiscalCode) return [];
    const today = romeToday(this.now);
    const employments = await this.employees.byFiscalCode(em, person.fiscalCode, today);
    return this.repository.convertiblePlans(
      em,
      employments.map((e) => e.employerId),
      today,
    );
  }

  /** The caller's own requests, at every employer, newest first. */
  async mine(em: EntityManager, caller: Caller): Promise<BonusConversion[]> {
    const person = requirePerson(caller);
    if (!person.fiscalCode) return [];
    const employments = await this.employees.byFiscalCode(em, person.fiscalCode);
    const list = await this.repository.ofEmployees(
      em,
      employments.map((e) => e.id),
      LIST_LIMIT,
    );
    await this.repository.preload(em, list);
    return list;
  }

  /** The employer's requests, newest first: its HR only. */
  async ofEmployer(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    status?: BonusConversionStatus,
  ): Promise<BonusConversion[]> {
    requireHr(caller, employerId);
    const list = await this.repository.ofEmployer(em, employerId, status, LIST_LIMIT);
    await this.repository.preload(em, list);
    return list;
  }

  /**
   * HR confirms a request: the converted amount enters the plan from the employer's issuer and
   * joins the employee's credit (two transfers whose ids derive from the request's, so a repeated
   * or concurrent confirmation credits once). CONFLICT if already decided or the plan is not
   * ACTIVE.
   */
  async confirm(em: EntityManager, caller: Caller, id: string): Promise<BonusConversion> {
    const hr = requirePerson(caller);
    if (!isUuid(id)) throw notFound();
    const found = await this.repository.get(em, id);
    if (!found) throw notFound();
    requireHr(caller, found.employerId);
    return em.transactional(async (tx) => {
      const conversion = await this.repository.lock(tx, id);
      if (!conversion) throw notFound();
      if (conversion.status !== 'REQUESTED') throw alreadyDecided();
      const plan = await this.repository.plan(tx, conversion.planId);
      if (!plan || plan.status !== 'ACTIVE') {
        throw DomainError.conflict({
          it: 'Il piano non è attivo: la conversione non si può accreditare.',
          en: 'The plan is not active: the conversion cannot be credited.',
        });
      }
      const codes = {
        issuer: accountCodes.issuer(plan.employerId),
        pool: accountCodes.pool(plan.id),
        employee: accountCodes.employee(plan.id, conversion.employeeId),
      };
      const accounts = await book.openAccounts(tx, [
        {
          code: codes.issuer,
          kind: AccountKind.ISSUER,
          allowNegative: true,
          owner: owners.employer(plan.employerId),
        },
        { code: codes.pool, kind: AccountKind.FUND, owner: owners.plan(plan.id) },
        {
          code: codes.employee,
          kind: AccountKind.HOLDER,
          owner: owners.employee(conversion.employeeId, plan.id),
        },
      ]);
      const idOf = (code: string) => accounts.get(code)!.id;
      const reference = `bonus-conversion:${conversion.id}`;
      // In order: the pool's credit must be there before its debit (a batch would not count it).
      for (const transfer of [
        {
          id: deterministicId('bonus-conversion', conversion.id, 'fund'),
          debit: idOf(codes.issuer),
          credit: idOf(codes.pool),
          amount: conversion.convertedCents,
          code: TransferCode.BONUS_CONVERSION,
          reference,
        },
        {
          id: deterministicId('bonus-conversion', conversion.id, 'credit'),
          debit: idOf(codes.pool),
          credit: idOf(codes.employee),
          amount: conversion.convertedCents,
          code: TransferCode.BONUS_CONVERSION,
          reference,
        },
      ]) {
        await book.transfer(tx, transfer);
      }
      conversion.status = 'CONFIRMED';
      conversion.decidedBy = hr.personId;
      conversion.decidedAt = this.now();
      await tx.flush();
      return conversion;
    });
  }

  /** HR rejects a request with a reason (3 to 500 characters). CONFLICT if already decided. */
  async reject(
    em: EntityManager,
    caller: Caller,
    id: string,
    reason: string,
  ): Promise<BonusConversion> {
    const hr = requirePerson(caller);
    const trimmed = reason.trim();
    if (!isUuid(id)) throw notFound();
    const found = await this.repository.get(em, id);
    if (!found) throw notFound();
    requireHr(caller, found.employerId);
    if (trimmed.length < 3 || trimmed.length > 500) {
      new FieldErrors()
        .add(
          'reason',
          'Scrivi il motivo (da 3 a 500 caratteri): il dipendente lo leggerà.',
          'Write the reason (3 to 500 characters): the employee will read it.',
        )
        .throwIfAny();
    }
    return em.transactional(async (tx) => {
      const conversion = await this.repository.lock(tx, id);
      if (!conversion) throw notFound();
      if (conversion.status !== 'REQUESTED') throw alreadyDecided();
      conversion.status = 'REJECTED';
      conversion.decisionReason = trimmed;
      conversion.decidedBy = hr.personId;
      conversion.decidedAt = this.now();
      await tx.flush();
      return conversion;
    });
  }

  /**
   * The caller as an employee in force today of the plan's employer, the plan ACTIVE, within its
   * validity, and allowing conversion. A plan the caller is not an employee of is NOT_FOUND (it
   * does not exist for them).
   */
  private async employeeOfPlan(
    em: EntityManager,
    caller: Caller,
    planId: string,
  ): Promise<{ person: PersonCaller; plan: Plan; employee: Employee }> {
    const person = requirePerson(caller);
    if (!isUuid(planId)) throw notFound();
    const plan = await this.repository.plan(em, planId);
    const today = romeToday(this.now);
    if (!plan || !person.fiscalCode) throw notFound();
    const employee = (await this.employees.byFiscalCode(em, person.fiscalCode, today)).find(
      (e) => e.employerId === plan.employerId,
    );
    if (!employee) throw notFound();
    if (plan.status !== 'ACTIVE' || today < plan.validFrom || today > plan.validUntil) {
      throw DomainError.conflict({
        it: 'Il piano non è in vigore oggi.',
        en: 'The plan is not in force today.',
      });
    }
    if (!plan.bonusConversion) {
      throw DomainError.conflict({
        it: 'Il regolamento di questo piano non prevede la conversione del premio di risultato.',
        en: 'This plan’s regulation does not allow converting the performance bonus.',
      });
    }
    return { person, plan, employee };
  }
}

const alreadyDecided = () =>
  DomainError.conflict({
    it: 'La richiesta è già stata decisa.',
    en: 'The request has already been decided.',
  });

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { code?: unknown }).code === '23505' ||
      (error as { name?: unknown }).name === 'UniqueConstraintViolationException')
  );
}
