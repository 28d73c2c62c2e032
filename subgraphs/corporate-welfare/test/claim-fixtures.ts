import { randomUUID } from 'node:crypto';
import type { Caller } from '@welfare/kit';
import { romeToday } from '@welfare/kit/dates';
import { citizen, type Suite } from '@welfare/kit/test-suite';
import type { ClaimFiling } from '../src/modules/claim/claim.service.js';
import { AccountKind, accountCodes, book, owners } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { ORG_A, ORG_B, member } from './helpers.js';

// Fixtures of the claims and payroll tests: an ACTIVE plan of ORG_A with an employee holding
// credit (SQL into the plan tables, the credit through the kit's book), a claim's filing.

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
export const CHILD_CF = 'RSSLCU15A41G273F';
export const HR_A = member(ORG_A, 'EMPLOYER', 'HR');
export const HR_B = member(ORG_B, 'EMPLOYER', 'HR');
export const COMUNE = member(ORG_A, 'COMUNE', 'MANAGER');

/** A plan of ORG_A (ACTIVE, given purposes) with one employee holding `credit` cents. */
export async function seed(
  suite: Suite<Services>,
  fiscalCode: string,
  credit: number,
  purposes = '{SERVICES_IN_KIND,EDUCATION_CHILDCARE,PUBLIC_TRANSPORT,FRINGE_BENEFIT}',
  dependentChildren = 0,
) {
  const planId = randomUUID();
  const employeeId = randomUUID();
  await suite.sql(
    `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, status, purposes, end_rule, created_by,
       regulation_file_name, regulation_content_type, regulation_size_bytes, regulation_sha256, regulation)
     values (?, ?, 'Piano welfare', ?, ?, ?, 'ACTIVE', ?, 'RETURN_TO_EMPLOYER', ?, 'r.pdf', 'application/pdf', 4, 'x', '\\x25504446'::bytea)`,
    [
      planId,
      ORG_A,
      Number(romeToday().slice(0, 4)),
      `${romeToday().slice(0, 4)}-01-01`,
      `${romeToday().slice(0, 4)}-12-31`,
      purposes,
      HR_A.personId,
    ],
  );
  await suite.sql(
    `insert into corporate_welfare.plan_category (id, plan_id, code, name, criterion, credit_cents)
     values (gen_random_uuid(), ?, 'IMPIEGATI', 'Impiegati', 'Livelli 4-7 CCNL', ?)`,
    [planId, credit],
  );
  await suite.sql(
    `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date, dependent_children)
     values (?, ?, ?, 'Mario', ?, 'IMPIEGATI', '2020-01-01', ?)`,
    [employeeId, ORG_A, fiscalCode, `Rossi ${fiscalCode.slice(0, 3)}`, dependentChildren],
  );
  const em = suite.orm.em.fork();
  const issuer = await book.openAccountId(em, {
    code: accountCodes.issuer(ORG_A),
    kind: AccountKind.ISSUER,
    allowNegative: true,
    owner: owners.employer(ORG_A),
  });
  const account = await book.openAccountId(em, {
    code: accountCodes.employee(planId, employeeId),
    kind: AccountKind.HOLDER,
    owner: owners.employee(employeeId, planId),
  });
  if (credit > 0) {
    await book.transfer(em, {
      id: randomUUID(),
      debit: issuer,
      credit: account,
      amount: credit,
      code: 'CREDIT',
    });
  }
  const employee: Caller = { ...citizen(), fiscalCode };
  return { planId, employeeId, account, employee };
}

export function filing(planId: string, overrides: Partial<ClaimFiling> = {}): ClaimFiling {
  return {
    planId,
    purpose: 'EDUCATION_CHILDCARE',
    relationship: 'CHILD',
    beneficiaryName: 'Lucia Rossi',
    beneficiaryFiscalCode: CHILD_CF,
    beneficiaryBirthDate: '',
    beneficiaryDependent: false,
    expenseDate: romeToday(),
    description: 'Retta del nido, novembre',
    amount: '120,50',
    receipts: [{ fileName: 'retta.pdf', content: PDF }],
    ...overrides,
  };
}
