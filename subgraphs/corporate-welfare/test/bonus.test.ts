import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { romeToday } from '@welfare/kit/dates';
import { citizen, type Suite } from '@welfare/kit/test-suite';
import { DEFAULT_LEGAL_FIGURES } from '../src/legal.js';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { ANONYMOUS, ORG_A, ORG_B, errorCode, errorFields, member, setupSuite } from './helpers.js';

// The rates of this year, whatever year the test runs in (the defaults cover 2023-2027).
const today = romeToday();
const year = Number(today.slice(0, 4));
const figures = {
  ...DEFAULT_LEGAL_FIGURES,
  bonusTaxes: [
    {
      fromYear: year,
      toYear: year,
      substituteTaxBasisPoints: 100,
      maxBonusCents: 500_000,
      maxPriorIncomeCents: 8_000_000,
      source: 'test rates',
    },
  ],
};

let suite: Suite<Services>;
const hr = member(ORG_A, 'EMPLOYER', 'HR');
const mario = { ...citizen(), fiscalCode: 'RSSMRA80A01G273X' };
const giulia = { ...citizen(), fiscalCode: 'BNCGLI85B41F205Z' };
const planId = randomUUID();
const noBonusPlanId = randomUUID();
const marioEmployeeId = randomUUID();

beforeAll(async () => {
  suite = await setupSuite('bonus', { legalFigures: figures });
  const plan = `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, status, purposes, end_rule, bonus_conversion, regulation_file_name, regulation_content_type, regulation_size_bytes, regulation_sha256, regulation, created_by)
    values (?, ?, ?, ?, ?, ?, 'ACTIVE', '{SERVICES_IN_KIND}', 'RETURN_TO_EMPLOYER', ?, 'r.pdf', 'application/pdf', 5, 'x', '\\x255044462d'::bytea, ?)`;
  await suite.sql(plan, [
    planId,
    ORG_A,
    'Piano',
    year,
    `${year}-01-01`,
    `${year}-12-31`,
    true,
    hr.personId,
  ]);
  await suite.sql(plan, [
    noBonusPlanId,
    ORG_A,
    'Senza premio',
    year,
    `${year}-01-01`,
    `${year}-12-31`,
    false,
    hr.personId,
  ]);
  await suite.sql(
    `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date)
     values (?, ?, 'RSSMRA80A01G273X', 'Mario', 'Rossi', 'OPERAI', '2020-01-01'),
            (gen_random_uuid(), ?, 'BNCGLI85B41F205Z', 'Giulia', 'Bianchi', 'OPERAI', '2020-01-01')`,
    [marioEmployeeId, ORG_A, ORG_B],
  );
});
afterAll(() => suite.close());

const QUOTE = `query ($input: BonusConversionInput!) {
  bonusConversionQuote(input: $input) { year creditCents gainCents allCash { netCents } cashPart { netCents taxCents } source }
}`;
const REQUEST = `mutation ($input: BonusConversionInput!) {
  requestBonusConversion(input: $input) { id status convertedCents cashNetCents cashNetIfAllCashCents planName employeeName }
}`;
const CONFIRM = `mutation ($id: ID!) { confirmBonusConversion(id: $id) { id status decidedAt } }`;
const REJECT = `mutation ($id: ID!, $reason: String!) { rejectBonusConversion(id: $id, reason: $reason) { id status decisionReason } }`;
const LIST = `query ($employerId: ID!) { employerBonusConversions(employerId: $employerId) { id status employeeName } }`;
const MINE = `{ myBonusConversions { id status planName } }`;

const input = (over: Record<string, unknown> = {}) => ({
  planId,
  bonusCents: 200_000,
  convertedCents: 50_000,
  priorYearIncomeCents: 3_500_000,
  ...over,
});

describe('performance bonus conversion', () => {
  it('shows the employee net cash against credit from the year’s rates', async () => {
    const result = await suite.run(QUOTE, { input: input() }, mario);
    expect(result.errors).toBeUndefined();
    expect(result.data?.bonusConversionQuote).toEqual({
      year,
      creditCents: 50_000,
      allCash: { netCents: 179_804 },
      cashPart: { netCents: 134_853, taxCents: 1_362 },
      gainCents: 134_853 + 50_000 - 179_804,
      source: expect.stringContaining('test rates') as unknown,
    });
  });

  it('refuses what the plan or the law does not allow, and writes nothing', async () => {
    const bad = await suite.run(
      REQUEST,
      { input: input({ bonusCents: 600_000, priorYearIncomeCents: 9_000_000 }) },
      mario,
    );
    expect(errorFields(bad).sort()).toEqual(['bonusCents', 'priorYearIncomeCents']);
    const noBonus = await suite.run(REQUEST, { input: input({ planId: noBonusPlanId }) }, mario);
    expect(errorCode(noBonus)).toBe('CONFLICT');
    // Not an employee of the plan's employer: the plan does not exist for them.
    expect(errorCode(await suite.run(REQUEST, { input: input() }, giulia))).toBe('NOT_FOUND');
    expect(errorCode(await suite.run(REQUEST, { input: input() }, citizen()))).toBe('NOT_FOUND');
    expect(errorCode(await suite.run(REQUEST, { input: input() }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await suite.count('bonus_conversion')).toBe(0);
  });

  it('records a request once, lets HR confirm it once, and credits exactly the converted part', async () => {
    const asked = await suite.run<{ requestBonusConversion: { id: string } }>(
      REQUEST,
      { input: input() },
      mario,
    );
    expect(asked.errors).toBeUndefined();
    expect(asked.data?.requestBonusConversion).toMatchObject({
      status: 'REQUESTED',
      convertedCents: 50_000,
      cashNetCents: 134_853,
      cashNetIfAllCashCents: 179_804,
      planName: 'Piano',
      employeeName: 'Mario Rossi',
    });
    const id = asked.data!.requestBonusConversion.id;
    expect(errorCode(await suite.run(REQUEST, { input: input() }, mario))).toBe('CONFLICT');

    // Tenancy: the employee and the employer's HR see it; nobody else.
    expect((await suite.run(MINE, {}, mario)).data?.myBonusConversions).toEqual([
      { id, status: 'REQUESTED', planName: 'Piano' },
    ]);
    expect((await suite.run(MINE, {}, giulia)).data?.myBonusConversions).toEqual([]);
    const PLANS = `{ myBonusConvertiblePlans { id } }`;
    expect((await suite.run(PLANS, {}, mario)).data?.myBonusConvertiblePlans).toEqual([
      { id: planId },
    ]);
    expect((await suite.run(PLANS, {}, giulia)).data?.myBonusConvertiblePlans).toEqual([]);
    expect(
      (await suite.run(LIST, { employerId: ORG_A }, hr)).data?.employerBonusConversions,
    ).toEqual([{ id, status: 'REQUESTED', employeeName: 'Mario Rossi' }]);
    const otherHr = member(ORG_B, 'EMPLOYER', 'HR');
    const comune = member(ORG_A, 'COMUNE', 'MANAGER');
    for (const caller of [otherHr, comune, mario]) {
      expect(errorCode(await suite.run(LIST, { employerId: ORG_A }, caller))).toBe('FORBIDDEN');
      expect(errorCode(await suite.run(CONFIRM, { id }, caller))).toBe('FORBIDDEN');
    }

    // Two confirmations at once: one credits, the other is told it was decided.
    const both = await Promise.all([
      suite.run(CONFIRM, { id }, hr),
      suite.run(CONFIRM, { id }, hr),
    ]);
    expect(both.map((r) => (r.errors ? errorCode(r) : 'OK')).sort()).toEqual(['CONFLICT', 'OK']);
    const em = suite.orm.em.fork();
    const [employee, issuer] = await Promise.all([
      book.accounts(em, { codes: [accountCodes.employee(planId, marioEmployeeId)] }),
      book.accounts(em, { codes: [accountCodes.issuer(ORG_A)] }),
    ]);
    expect(employee[0]?.posted).toBe(50_000);
    expect(issuer[0]?.posted).toBe(-50_000);
    const report = await book.checkInvariants(em);
    expect(report.problems).toEqual([]);
    expect(errorCode(await suite.run(REJECT, { id, reason: 'Tardi' }, hr))).toBe('CONFLICT');
  });

  it('lets HR reject a request with a reason the employee reads', async () => {
    // A new request (the first was decided).
    const asked = await suite.run<{ requestBonusConversion: { id: string } }>(
      REQUEST,
      { input: input({ convertedCents: 10_000 }) },
      mario,
    );
    const id = asked.data!.requestBonusConversion.id;
    expect(errorFields(await suite.run(REJECT, { id, reason: ' ' }, hr))).toEqual(['reason']);
    const rejected = await suite.run(REJECT, { id, reason: 'Accordo aziendale non firmato' }, hr);
    expect(rejected.data?.rejectBonusConversion).toEqual({
      id,
      status: 'REJECTED',
      decisionReason: 'Accordo aziendale non firmato',
    });
    const em = suite.orm.em.fork();
    const [employee] = await book.accounts(em, {
      codes: [accountCodes.employee(planId, marioEmployeeId)],
    });
    expect(employee?.posted).toBe(50_000);
  });
});
