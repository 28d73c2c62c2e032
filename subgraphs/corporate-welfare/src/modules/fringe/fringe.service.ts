import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { isUuid, refuse, requirePerson } from '@welfare/kit/access';
import { isIsoDate, romeToday } from '@welfare/kit/dates';
import { fringeBenefitCap, type LegalFigures } from '../../legal.js';
import type { Employee } from '../employee/employee.entity.js';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  owners,
} from '../ledger/ledger.js';
import { requireHr } from '../shared/access.js';
import { FringeBenefit } from './fringe.entity.js';
import type { FringeRepository } from './fringe.repository.js';

/**
 * Where an employee stands against the cap: OK; WARNING once the running total reaches the
 * warning threshold (`fringeBenefitWarningBasisPoints` of the cap); EXCEEDED past the cap (then
 * the whole amount is taxable, not only the part above it: art. 51 c.3 TUIR).
 */
export const FRINGE_BENEFIT_LEVELS = ['OK', 'WARNING', 'EXCEEDED'] as const;
export type FringeBenefitLevel = (typeof FRINGE_BENEFIT_LEVELS)[number];

/** An employee's fringe benefits of a tax year against the cap that applies to them. */
export interface FringeBenefitStatus {
  employeeId: string;
  year: number;
  /** The cap of the year for this employee (with or without dependent children), in cents. */
  capCents: number;
  /** The law that sets it. */
  capSource: string;
  /** The running total from which the employee and HR are warned, in cents. */
  warningCents: number;
  /** Declared by HR from outside the platform. */
  declaredCents: number;
  /** Granted from the plans' credit (the book's FRINGE_BENEFIT movements). */
  grantedCents: number;
  totalCents: number;
  /** What can still be given without crossing the cap (0 once crossed). */
  remainingCents: number;
  level: FringeBenefitLevel;
}

/** HR's declaration of a fringe benefit given outside the platform. */
export interface DeclareFringeBenefitInput {
  employerId: string;
  employeeId: string;
  amountCents: number;
  description: string;
  /** The day it was given (`yyyy-mm-dd`): its year is the tax year it counts in. */
  benefitDate: string;
}

/** HR's grant of a fringe benefit from an employee's credit in a plan. */
export interface GrantFringeBenefitInput {
  employerId: string;
  employeeId: string;
  planId: string;
  amountCents: number;
  description: string;
  /** The client's idempotency key (a uuid): the same key grants once. */
  requestId: string;
}

export interface FringeBenefitChange {
  benefit: FringeBenefit;
  status: FringeBenefitStatus;
}

/** Employees listed at most on HR's page. */
const LIST_LIMIT = 500;
const MAX_AMOUNT_CENTS = 100_000_000;

const euro = (cents: number, locale: 'it-IT' | 'en-GB') =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);

/**
 * The fringe-benefit cap ("the cliff", art. 51 c.3 TUIR): per employee and tax year, the running
 * total of the fringe benefits declared from outside and granted from the plans' credit, against
 * the cap of `legal.ts`; a warning from the threshold on, and a refusal of any grant that would
 * cross the cap (crossing it makes the whole amount taxable).
 *
 * For other modules: take `lockEmployee` in your transaction, then `assertWithinCap` before
 * moving any FRINGE_BENEFIT money for that employee (the lock makes concurrent changes count one
 * after the other), and `statusOf` to show where an employee stands.
 */
export class FringeService {
  constructor(
    private readonly repository: FringeRepository,
    private readonly figures: LegalFigures,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ---- For other modules (no access check: the caller has done it)

  /** The employees' statuses for a tax year (one query for each kind of total). */
  async statusesOf(
    em: EntityManager,
    employees: readonly Employee[],
    year: number,
  ): Promise<FringeBenefitStatus[]> {
    if (employees.length === 0) return [];
    const ids = employees.map((e) => e.id);
    const byEmployer = new Map<string, string[]>();
    for (const e of employees) {
      if (!byEmployer.has(e.employerId))
        byEmployer.set(e.employerId, await this.repository.planIdsOfYear(em, e.employerId, year));
    }
    const declared = await this.repository.declaredTotals(em, ids, year);
    const granted = new Map<string, number>();
    for (const [employerId, planIds] of byEmployer) {
      const ofEmployer = employees.filter((e) => e.employerId === employerId).map((e) => e.id);
      for (const [k, v] of await this.repository.grantedTotals(em, ofEmployer, planIds))
        granted.set(k, v);
    }
    return employees.map((e) =>
      this.compute(e, year, declared.get(e.id) ?? 0, granted.get(e.id) ?? 0),
    );
  }

  /** One employee's status for a tax year. */
  async statusOf(
    em: EntityManager,
    employee: Employee,
    year: number,
  ): Promise<FringeBenefitStatus> {
    return (await this.statusesOf(em, [employee], year))[0]!;
  }

  /** The employee of the employer, its row locked until the transaction ends (NOT_FOUND-free: null). */
  lockEmployee(
    tx: EntityManager,
    employerId: string,
    employeeId: string,
  ): Promise<Employee | null> {
    return this.repository.lockEmployee(tx, employerId, employeeId);
  }

  /**
   * Refuses (BAD_USER_INPUT on `field`) an amount that would take the employee's running total of
   * the year past the cap, saying that the whole amount would become taxable. Call it holding
   * `lockEmployee`'s lock. Returns the status before the amount.
   */
  async assertWithinCap(
    tx: EntityManager,
    employee: Employee,
    year: number,
    amountCents: number,
    field = 'amountCents',
  ): Promise<FringeBenefitStatus> {
    const status = await this.statusOf(tx, employee, year);
    if (status.totalCents + amountCents > status.capCents) {
      const after = status.totalCents + amountCents;
      throw DomainError.badInput([
        {
          field,
          message: {
            it:
              `Rifiutato: con questo importo i fringe benefit del ${year} salirebbero a ${euro(after, 'it-IT')}, oltre la soglia di ${euro(status.capCents, 'it-IT')}. ` +
              `Superata la soglia, l’intero importo dei fringe benefit diventerebbe imponibile, non solo l’eccedenza. ` +
              `Si può concedere al massimo ${euro(status.remainingCents, 'it-IT')}.`,
            en:
              `Refused: this amount would take the ${year} fringe benefits to ${euro(after, 'en-GB')}, over the cap of ${euro(status.capCents, 'en-GB')}. ` +
              `Past the cap the whole amount of fringe benefits would become taxable, not only the excess. ` +
              `At most ${euro(status.remainingCents, 'en-GB')} can be granted.`,
          },
        },
      ]);
    }
    return status;
  }

  // ---- The API's operations

  /**
   * An employee's status for a tax year: the employer's HR, or the employee (a citizen whose
   * codice fiscale is the employee's). NOT_FOUND for an unknown employee, FORBIDDEN for anyone else.
   */
  async status(
    em: EntityManager,
    caller: Caller,
    employeeId: string,
    year: number,
  ): Promise<FringeBenefitStatus> {
    const person = requirePerson(caller);
    const errors = new FieldErrors();
    if (!isUuid(employeeId))
      errors.add('employeeId', 'Identificativo non valido.', 'Malformed id.');
    this.checkYear(errors, year);
    errors.throwIfAny();
    const employee = await this.repository.employeeById(em, employeeId);
    if (!employee) throw DomainError.notFound();
    if (!isHrOf(person, employee.employerId) && person.fiscalCode !== employee.fiscalCode)
      throw refuse(person, employee.employerId, 'organisation');
    return this.statusOf(em, employee, year);
  }

  /** Every employee's status for a tax year (at most 500, by name): the employer's HR only. */
  async employerStatuses(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    year: number,
  ): Promise<{ employee: Employee; status: FringeBenefitStatus }[]> {
    requireHr(caller, employerId);
    const errors = new FieldErrors();
    this.checkYear(errors, year);
    errors.throwIfAny();
    const employees = await this.repository.employeesOf(em, employerId, LIST_LIMIT);
    const statuses = await this.statusesOf(em, employees, year);
    return employees.map((employee, i) => ({ employee, status: statuses[i]! }));
  }

  /** An employee's fringe benefits of a tax year, newest first (no access check). */
  benefits(em: EntityManager, employeeId: string, year: number): Promise<FringeBenefit[]> {
    return this.repository.benefitsOf(em, employeeId, year);
  }

  /**
   * HR declares a fringe benefit given outside the platform. Recorded even when it takes the
   * total past the cap (it was given: the status then says EXCEEDED, and any grant is refused).
   */
  async declare(
    em: EntityManager,
    caller: Caller,
    input: DeclareFringeBenefitInput,
  ): Promise<FringeBenefitChange> {
    const hr = requireHr(caller, input.employerId);
    const errors = new FieldErrors();
    if (!isUuid(input.employeeId))
      errors.add('employeeId', 'Identificativo non valido.', 'Malformed id.');
    this.checkAmount(errors, input.amountCents);
    const description = this.checkDescription(errors, input.description);
    const today = romeToday(this.now);
    if (!isIsoDate(input.benefitDate))
      errors.add('benefitDate', 'Data non valida (aaaa-mm-gg).', 'Invalid date (yyyy-mm-dd).');
    else if (input.benefitDate > today)
      errors.add(
        'benefitDate',
        'La data non può essere futura.',
        'The date cannot be in the future.',
      );
    else if (Number(input.benefitDate.slice(0, 4)) < 2000)
      errors.add('benefitDate', 'Data troppo lontana.', 'Date too far in the past.');
    errors.throwIfAny();
    const year = Number(input.benefitDate.slice(0, 4));
    return em.transactional(async (tx) => {
      const employee = await this.repository.lockEmployee(tx, input.employerId, input.employeeId);
      if (!employee) throw unknownEmployee();
      const benefit = tx.create(FringeBenefit, {
        employerId: employee.employerId,
        employeeId: employee.id,
        taxYear: year,
        source: 'DECLARED',
        amountCents: input.amountCents,
        description,
        benefitDate: input.benefitDate,
        createdBy: hr.personId,
      });
      await tx.flush();
      return { benefit, status: await this.statusOf(tx, employee, year) };
    });
  }

  /**
   * HR grants a fringe benefit from the employee's credit in a plan (employee credit to the plan's
   * payroll account, code FRINGE_BENEFIT), in the plan's tax year: refused when it would cross the
   * cap (the employee's row locked meanwhile: concurrent grants count one after the other), or when
   * the credit does not cover it. Once per `requestId`.
   */
  async grant(
    em: EntityManager,
    caller: Caller,
    input: GrantFringeBenefitInput,
  ): Promise<FringeBenefitChange> {
    const hr = requireHr(caller, input.employerId);
    const errors = new FieldErrors();
    if (!isUuid(input.employeeId))
      errors.add('employeeId', 'Identificativo non valido.', 'Malformed id.');
    if (!isUuid(input.planId)) errors.add('planId', 'Identificativo non valido.', 'Malformed id.');
    if (!isUuid(input.requestId))
      errors.add('requestId', 'Identificativo non valido.', 'Malformed id.');
    this.checkAmount(errors, input.amountCents);
    const description = this.checkDescription(errors, input.description);
    errors.throwIfAny();
    const transferId = deterministicId('fringe-benefit', input.employeeId, input.requestId);
    return em.transactional(async (tx) => {
      const employee = await this.repository.lockEmployee(tx, input.employerId, input.employeeId);
      if (!employee) throw unknownEmployee();
      const plan = await this.repository.plan(tx, input.employerId, input.planId);
      const replay = await this.repository.byTransfer(tx, transferId);
      if (replay) {
        if (
          replay.employeeId !== employee.id ||
          replay.planId !== input.planId ||
          replay.amountCents !== input.amountCents
        )
          throw DomainError.conflict({
            it: 'Questa richiesta è già stata usata per un’altra concessione.',
            en: 'This request was already used for another grant.',
          });
        return { benefit: replay, status: await this.statusOf(tx, employee, replay.taxYear) };
      }
      const today = romeToday(this.now);
      const planProblem = !plan
        ? ['Piano non trovato.', 'Plan not found.']
        : plan.status !== 'ACTIVE'
          ? ['Il piano non è attivo.', 'The plan is not active.']
          : !plan.purposes.includes('FRINGE_BENEFIT')
            ? ['Il piano non prevede fringe benefit.', 'The plan does not allow fringe benefits.']
            : today < plan.validFrom || today > plan.validUntil
              ? ['Oggi il piano non è in vigore.', 'The plan is not in force today.']
              : null;
      if (planProblem || !plan) throw fieldError('planId', planProblem![0]!, planProblem![1]!);
      const [account] = await book.accounts(tx, {
        codes: [accountCodes.employee(plan.id, employee.id)],
      });
      if (!account)
        throw fieldError(
          'planId',
          'Il dipendente non ha credito in questo piano.',
          'The employee has no credit in this plan.',
        );
      await this.assertWithinCap(tx, employee, plan.year, input.amountCents);
      if (account.available < input.amountCents)
        throw fieldError(
          'amountCents',
          `Credito insufficiente: disponibili ${euro(account.available, 'it-IT')}.`,
          `Not enough credit: ${euro(account.available, 'en-GB')} available.`,
        );
      const payroll = await book.openAccountId(tx, {
        code: accountCodes.payroll(plan.id),
        kind: AccountKind.PAYROLL,
        owner: owners.plan(plan.id),
        hot: true,
      });
      await book.transfer(tx, {
        id: transferId,
        debit: account.id,
        credit: payroll,
        amount: input.amountCents,
        code: TransferCode.FRINGE_BENEFIT,
        reference: `fringe:${employee.id}:${input.requestId}`,
      });
      const benefit = tx.create(FringeBenefit, {
        employerId: employee.employerId,
        employeeId: employee.id,
        taxYear: plan.year,
        source: 'PLAN',
        amountCents: input.amountCents,
        description,
        benefitDate: today,
        planId: plan.id,
        transferId,
        createdBy: hr.personId,
      });
      await tx.flush();
      return { benefit, status: await this.statusOf(tx, employee, plan.year) };
    });
  }

  private compute(
    employee: Employee,
    year: number,
    declaredCents: number,
    grantedCents: number,
  ): FringeBenefitStatus {
    const cap = fringeBenefitCap(this.figures, year, employee.dependentChildren);
    const warningCents = Math.floor(
      (cap.capCents * this.figures.fringeBenefitWarningBasisPoints) / 10_000,
    );
    const totalCents = declaredCents + grantedCents;
    return {
      employeeId: employee.id,
      year,
      capCents: cap.capCents,
      capSource: cap.source,
      warningCents,
      declaredCents,
      grantedCents,
      totalCents,
      remainingCents: Math.max(0, cap.capCents - totalCents),
      level: totalCents > cap.capCents ? 'EXCEEDED' : totalCents >= warningCents ? 'WARNING' : 'OK',
    };
  }

  private checkYear(errors: FieldErrors, year: number): void {
    if (!Number.isInteger(year) || year < 2000 || year > 2100)
      errors.add('year', 'Anno non valido (2000-2100).', 'Invalid year (2000-2100).');
  }

  private checkAmount(errors: FieldErrors, amountCents: number): void {
    if (!Number.isInteger(amountCents) || amountCents < 1 || amountCents > MAX_AMOUNT_CENTS)
      errors.add(
        'amountCents',
        'Importo non valido: centesimi interi, maggiore di zero.',
        'Invalid amount: whole cents, above zero.',
      );
  }

  private checkDescription(errors: FieldErrors, description: string): string {
    const text = (description ?? '').trim();
    if (text.length < 3 || text.length > 200)
      errors.add('description', 'Da 3 a 200 caratteri.', 'From 3 to 200 characters.');
    return text;
  }
}

function isHrOf(person: PersonCaller, employerId: string): boolean {
  return person.memberships.some((m) => m.organisationId === employerId && m.role === 'HR');
}

function fieldError(field: string, it: string, en: string): DomainError {
  return DomainError.badInput([{ field, message: { it, en } }]);
}

function unknownEmployee(): DomainError {
  return fieldError('employeeId', 'Dipendente non trovato.', 'Employee not found.');
}
