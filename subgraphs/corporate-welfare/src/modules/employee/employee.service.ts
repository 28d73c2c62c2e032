import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller, type FieldError } from '@welfare/kit';
import { isUuid } from '@welfare/kit/access';
import { isIsoDate } from '@welfare/kit/dates';
import type { AfterEnrolment } from '../enrolment/after-enrolment.js';
import { MAX_CHILDREN, endProblem, parseEmail } from '../enrolment/enrolment-columns.js';
import { employerCategoryCodes } from '../enrolment/enrolment.repository.js';
import { enqueueInvitations } from '../enrolment/invitation.js';
import { requireHr } from '../shared/access.js';
import type { Employee } from './employee.entity.js';
import type { EmployeeRepository } from './employee.repository.js';

/** Employees per page at most (and by default). */
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 25;

/** What HR may change of an employee (the rest comes from the enrolment file). */
export interface EmployeeChange {
  categoryCode: string;
  email?: string | null;
  dependentChildren: number;
  /** The last day of employment (a leaver); null: still employed. */
  endDate?: string | null;
}

/** The rules of the employees: HR of the employer reads and changes them, nobody else. */
export class EmployeeService {
  constructor(
    private readonly repository: EmployeeRepository,
    private readonly afterEnrolment: AfterEnrolment,
  ) {}

  /** A page of the employer's employees, searched by name, codice fiscale or e-mail. */
  async page(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    options: { search?: string | null; first?: number | null; offset?: number | null },
  ): Promise<{ items: Employee[]; totalCount: number; offset: number }> {
    requireHr(caller, employerId);
    const fields: FieldError[] = [];
    const first = options.first ?? DEFAULT_PAGE;
    const offset = options.offset ?? 0;
    const search = (options.search ?? '').trim();
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      fields.push({
        field: 'first',
        message: { it: `Da 1 a ${MAX_PAGE}.`, en: `From 1 to ${MAX_PAGE}.` },
      });
    }
    if (!Number.isInteger(offset) || offset < 0) {
      fields.push({ field: 'offset', message: { it: 'Almeno 0.', en: 'At least 0.' } });
    }
    if (search.length > 100) {
      fields.push({
        field: 'search',
        message: { it: 'Al massimo 100 caratteri.', en: 'At most 100 characters.' },
      });
    }
    if (fields.length) throw DomainError.badInput(fields);
    const page = await this.repository.pageOf(em, employerId, search, first, offset);
    return { ...page, offset };
  }

  /** One employee of the employer; null when missing or another employer's. */
  async find(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    id: string,
  ): Promise<Employee | null> {
    requireHr(caller, employerId);
    if (!isUuid(id)) return null;
    return this.repository.findOf(em, employerId, id);
  }

  /**
   * Changes an employee's category (one the employer's plans define), e-mail, dependent children
   * and end date (a leaver). Field-level errors and nothing written for bad input; NOT_FOUND for
   * an employee that is missing or another employer's. A first e-mail of an employee never
   * invited sends the invitation.
   */
  async change(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    id: string,
    change: EmployeeChange,
  ): Promise<Employee> {
    requireHr(caller, employerId);
    const employee = isUuid(id) ? await this.repository.findOf(em, employerId, id) : null;
    if (!employee) throw DomainError.notFound();
    const fields: FieldError[] = [];
    const categoryCode = change.categoryCode.trim().toUpperCase();
    const categories = await employerCategoryCodes(em, employerId);
    if (!categories.has(categoryCode)) {
      fields.push({
        field: 'categoryCode',
        message: {
          it: 'Categoria non definita dai piani dell’azienda.',
          en: 'Category not defined by the employer’s plans.',
        },
      });
    }
    const email = parseEmail(change.email ?? '');
    if (!email.ok) fields.push({ field: 'email', message: email.reason });
    const children = change.dependentChildren;
    if (!Number.isInteger(children) || children < 0 || children > MAX_CHILDREN) {
      fields.push({
        field: 'dependentChildren',
        message: {
          it: `Un numero intero da 0 a ${MAX_CHILDREN}.`,
          en: `A whole number from 0 to ${MAX_CHILDREN}.`,
        },
      });
    }
    const endDate = change.endDate?.trim() || null;
    if (endDate !== null && !isIsoDate(endDate)) {
      fields.push({
        field: 'endDate',
        message: { it: 'Data non valida (AAAA-MM-GG).', en: 'Invalid date (YYYY-MM-DD).' },
      });
    } else {
      const problem = endProblem(employee.startDate, endDate);
      if (problem) fields.push({ field: 'endDate', message: problem });
    }
    if (fields.length) throw DomainError.badInput(fields);
    employee.categoryCode = categoryCode;
    employee.email = email.ok ? email.value : null;
    employee.dependentChildren = children;
    employee.endDate = endDate;
    await em.transactional(async (tx) => {
      await tx.flush();
      if (employee.invitedAt == null && employee.email) {
        await enqueueInvitations(tx, employerId, [employee.id]);
      }
    });
    await em.refresh(employee);
    await this.afterEnrolment(em, employerId);
    return employee;
  }
}
