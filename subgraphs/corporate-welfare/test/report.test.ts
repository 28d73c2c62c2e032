import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { ANONYMOUS, ORG_A, ORG_B, errorCode, member, setupSuite } from './helpers.js';

let suite: Suite<Services>;
const hr = member(ORG_A, 'EMPLOYER', 'HR');
const planId = randomUUID();
const worker = randomUUID();
const clerk = randomUUID();
const claimId = randomUUID();
const provider = randomUUID();

const REPORT = `query ($planId: ID!) {
  welfarePlanReport(planId: $planId) {
    plan { id name }
    employees creditedCents spentCents endedCents balanceCents heldCents
    byCategory { code name employees creditedCents spentCents }
    byPurpose { purpose spentCents count }
    byMonth { month creditedCents spentCents }
  }
}`;

/** A movement of the book as the modules make them (the report reads nothing else). */
async function move(
  code: string,
  debit: string,
  credit: string,
  amount: number,
  reference?: string,
) {
  const em = suite.orm.em.fork();
  const accounts = await book.accounts(em, { codes: [debit, credit] });
  const id = (c: string) => accounts.find((a) => a.code === c)!.id;
  await book.transfer(em, {
    id: deterministicId('report-test', code, debit, credit, amount, reference ?? ''),
    debit: id(debit),
    credit: id(credit),
    amount,
    code,
    reference: reference ?? null,
  });
}

beforeAll(async () => {
  suite = await setupSuite('report');
  await suite.sql(
    `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, status, purposes, covered_categories, end_rule, regulation_file_name, regulation_content_type, regulation_size_bytes, regulation_sha256, regulation, created_by)
     values (?, ?, 'Piano 2026', 2026, '2026-01-01', '2026-12-31', 'ACTIVE', '{SERVICES_IN_KIND,EDUCATION_CHILDCARE,FRINGE_BENEFIT}', '{EDUCATION}', 'RETURN_TO_EMPLOYER', 'r.pdf', 'application/pdf', 5, 'x', '\\x255044462d'::bytea, ?)`,
    [planId, ORG_A, hr.personId],
  );
  await suite.sql(
    `insert into corporate_welfare.plan_category (id, plan_id, code, name, criterion, credit_cents)
     values (gen_random_uuid(), ?, 'OPERAI', 'Operai', 'Livelli 1-3', 50000),
            (gen_random_uuid(), ?, 'IMPIEGATI', 'Impiegati', 'Livelli 4-7', 30000)`,
    [planId, planId],
  );
  await suite.sql(
    `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date)
     values (?, ?, 'RSSMRA80A01G273X', 'Mario', 'Rossi', 'OPERAI', '2020-01-01'),
            (?, ?, 'BNCGLI85B41F205Z', 'Giulia', 'Bianchi', 'IMPIEGATI', '2020-01-01')`,
    [worker, ORG_A, clerk, ORG_A],
  );
  const em = suite.orm.em.fork();
  const code = {
    issuer: accountCodes.issuer(ORG_A),
    pool: accountCodes.pool(planId),
    worker: accountCodes.employee(planId, worker),
    clerk: accountCodes.employee(planId, clerk),
    provider: accountCodes.provider(planId, provider),
    payroll: accountCodes.payroll(planId),
  };
  await book.openAccounts(em, [
    {
      code: code.issuer,
      kind: AccountKind.ISSUER,
      allowNegative: true,
      owner: owners.employer(ORG_A),
    },
    { code: code.pool, kind: AccountKind.FUND, owner: owners.plan(planId) },
    { code: code.worker, kind: AccountKind.HOLDER, owner: owners.employee(worker, planId) },
    { code: code.clerk, kind: AccountKind.HOLDER, owner: owners.employee(clerk, planId) },
    {
      code: code.provider,
      kind: AccountKind.PROVIDER,
      owner: owners.provider(provider, planId),
      hot: true,
    },
    { code: code.payroll, kind: AccountKind.PAYROLL, owner: owners.plan(planId), hot: true },
  ]);
  await move(TransferCode.FUNDING, code.issuer, code.pool, 80_000);
  await move(TransferCode.CREDIT, code.pool, code.worker, 50_000);
  await move(TransferCode.CREDIT, code.pool, code.clerk, 30_000);
  await move(TransferCode.SERVICE_PAYMENT, code.worker, code.provider, 12_000, 'leg:1');
  await move(TransferCode.SERVICE_REFUND, code.provider, code.worker, 2_000, 'leg:1');
  await suite.sql(
    `insert into corporate_welfare.claim (id, employer_id, plan_id, employee_id, purpose, beneficiary_name, beneficiary_fiscal_code, relationship, expense_date, description, amount_cents, status, decided_by, decided_at, transfer_id, filed_by)
     values (?, ?, ?, ?, 'EDUCATION_CHILDCARE', 'Lucia Bianchi', 'BNCLCU15A41F205X', 'CHILD', '2026-03-01', 'Asilo nido', 15000, 'APPROVED', ?, now(), gen_random_uuid(), ?)`,
    [claimId, ORG_A, planId, clerk, hr.personId, hr.personId],
  );
  await move(TransferCode.REIMBURSEMENT, code.clerk, code.payroll, 15_000, `claim:${claimId}`);
  await move(TransferCode.FRINGE_BENEFIT, code.worker, code.payroll, 5_000, 'fringe:1');
});
afterAll(() => suite.close());

describe('welfarePlanReport', () => {
  it('sums the plan’s book by category of employee, by purpose (art. 51 letter) and by month', async () => {
    const result = await suite.run(REPORT, { planId }, hr);
    expect(result.errors).toBeUndefined();
    const month = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Rome',
      year: 'numeric',
      month: '2-digit',
    }).format(new Date());
    expect(result.data?.welfarePlanReport).toEqual({
      plan: { id: planId, name: 'Piano 2026' },
      employees: 2,
      creditedCents: 80_000,
      spentCents: 10_000 + 15_000 + 5_000,
      endedCents: 0,
      balanceCents: 80_000 - 30_000,
      heldCents: 0,
      byCategory: [
        {
          code: 'IMPIEGATI',
          name: 'Impiegati',
          employees: 1,
          creditedCents: 30_000,
          spentCents: 15_000,
        },
        { code: 'OPERAI', name: 'Operai', employees: 1, creditedCents: 50_000, spentCents: 15_000 },
      ],
      byPurpose: [
        { purpose: 'EDUCATION_CHILDCARE', spentCents: 15_000, count: 1 },
        { purpose: 'FRINGE_BENEFIT', spentCents: 5_000, count: 1 },
        { purpose: 'SERVICES_IN_KIND', spentCents: 10_000, count: 1 },
      ],
      byMonth: [{ month, creditedCents: 80_000, spentCents: 30_000 }],
    });
  });

  it('is the employer’s HR’s only', async () => {
    for (const caller of [member(ORG_B, 'EMPLOYER', 'HR'), member(ORG_A, 'COMUNE', 'MANAGER')]) {
      expect(errorCode(await suite.run(REPORT, { planId }, caller))).toBe('FORBIDDEN');
    }
    expect(errorCode(await suite.run(REPORT, { planId }, ANONYMOUS))).toBe('UNAUTHENTICATED');
    expect(errorCode(await suite.run(REPORT, { planId: randomUUID() }, hr))).toBe('NOT_FOUND');
  });
});
