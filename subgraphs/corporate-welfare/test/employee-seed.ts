import { randomUUID } from 'node:crypto';
import { romeToday } from '@welfare/kit/dates';
import type { Suite } from '@welfare/kit/test-suite';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  owners,
} from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';

/** This year in Rome: the seeded plans are in force today. */
export const YEAR = Number(romeToday().slice(0, 4));

export interface SeededEmployee {
  planId: string;
  employeeId: string;
  /** The employee's credit account in the plan (the book's id). */
  accountId: string;
}

/**
 * An ACTIVE plan of the employer for this year (with a regulation) covering one category (`OPERAI`), an employee
 * in it, and the employee's credit through the book (the employer funds the pool, the pool credits
 * the employee): what the plans and funding modules will do, written here so that these tests do
 * not depend on them.
 */
export async function seedEmployee(
  suite: Suite<Services>,
  options: {
    employerId: string;
    fiscalCode: string;
    creditCents: number;
    purposes?: string[];
    status?: 'ACTIVE' | 'DRAFT';
    dependentChildren?: number;
    planName?: string;
    employeeId?: string;
    /** The plan's one category and the employee's (default OPERAI). */
    categoryCode?: string;
  },
): Promise<SeededEmployee> {
  const planId = randomUUID();
  const status = options.status ?? 'ACTIVE';
  const category = options.categoryCode ?? 'OPERAI';
  const purposes = options.purposes ?? ['SERVICES_IN_KIND', 'FRINGE_BENEFIT'];
  await suite.sql(
    `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, status, purposes, end_rule, created_by,
       regulation_file_name, regulation_content_type, regulation_size_bytes, regulation_sha256, regulation, funded_at)
     values (?, ?, ?, ?, ?, ?, ?, ?::text[], 'RETURN_TO_EMPLOYER', ?, 'regolamento.pdf', 'application/pdf', 4, 'test', decode('25504446', 'hex'), now())`,
    [
      planId,
      options.employerId,
      options.planName ?? `Piano welfare ${YEAR}`,
      YEAR,
      `${YEAR}-01-01`,
      `${YEAR}-12-31`,
      status,
      `{${purposes.join(',')}}`,
      randomUUID(),
    ],
  );
  await suite.sql(
    `insert into corporate_welfare.plan_category (id, plan_id, code, name, criterion, credit_cents)
     values (?, ?, ?, 'Operai', 'Livelli 1-3 del CCNL', ?)`,
    [randomUUID(), planId, category, options.creditCents],
  );
  const existing = await suite.sql<{ id: string }>(
    `select id from corporate_welfare.employee where employer_id = ? and fiscal_code = ?`,
    [options.employerId, options.fiscalCode],
  );
  const employeeId = existing[0]?.id ?? options.employeeId ?? randomUUID();
  if (!existing[0])
    await suite.sql(
      `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date, dependent_children)
       values (?, ?, ?, 'Mario', 'Rossi', ?, '2020-01-01', ?)`,
      [
        employeeId,
        options.employerId,
        options.fiscalCode,
        category,
        options.dependentChildren ?? 0,
      ],
    );
  const em = suite.orm.em.fork();
  const issuer = await book.openAccount(em, {
    code: accountCodes.issuer(options.employerId),
    kind: AccountKind.ISSUER,
    allowNegative: true,
    owner: owners.employer(options.employerId),
  });
  const pool = await book.openAccount(em, {
    code: accountCodes.pool(planId),
    kind: AccountKind.FUND,
    owner: owners.plan(planId),
  });
  const account = await book.openAccount(em, {
    code: accountCodes.employee(planId, employeeId),
    kind: AccountKind.HOLDER,
    owner: owners.employee(employeeId, planId),
  });
  await book.transfer(em, {
    id: deterministicId('test-funding', planId),
    debit: issuer.id,
    credit: pool.id,
    amount: options.creditCents,
    code: TransferCode.FUNDING,
  });
  await book.transfer(em, {
    id: deterministicId('test-credit', planId, employeeId),
    debit: pool.id,
    credit: account.id,
    amount: options.creditCents,
    code: TransferCode.CREDIT,
  });
  return { planId, employeeId, accountId: account.id };
}
