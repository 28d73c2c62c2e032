import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { citizen } from '@welfare/kit/test-suite';
import { DEFAULT_LEGAL_FIGURES } from '../src/legal.js';
import { book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { YEAR, seedEmployee } from './employee-seed.js';
import { ANONYMOUS, ORG_A, ORG_B, errorCode, errorFields, member, setupSuite } from './helpers.js';

let suite: Suite<Services>;
beforeAll(async () => {
  // The same cap every year (1,000 euro; 2,000 with dependent children), whatever year it runs in.
  suite = await setupSuite('fringe', {
    legalFigures: {
      ...DEFAULT_LEGAL_FIGURES,
      fringeBenefitCaps: [
        {
          fromYear: 2000,
          toYear: 2100,
          capCents: 100_000,
          withChildrenCapCents: 200_000,
          source: 'test',
        },
      ],
    },
  });
});
afterAll(() => suite.close());

const HR_A = member(ORG_A, 'EMPLOYER', 'HR');
const HR_B = member(ORG_B, 'EMPLOYER', 'HR');

const STATUS = `query ($employeeId: ID!, $year: Int!) {
  fringeBenefitStatus(employeeId: $employeeId, year: $year) {
    employeeId year capCents capSource warningCents declaredCents grantedCents totalCents remainingCents level
    benefits { source amountCents description planId }
  }
}`;
const LIST = `query ($employerId: ID!, $year: Int!) {
  employerFringeBenefits(employerId: $employerId, year: $year) {
    employeeId familyName dependentChildren status { totalCents capCents level }
  }
}`;
const GRANT = `mutation ($input: GrantFringeBenefitInput!) {
  grantFringeBenefit(input: $input) {
    benefit { id source amountCents taxYear planId }
    status { totalCents remainingCents level }
  }
}`;
const DECLARE = `mutation ($input: DeclareFringeBenefitInput!) {
  declareFringeBenefit(input: $input) {
    benefit { source amountCents taxYear benefitDate }
    status { declaredCents totalCents level }
  }
}`;

let fiscalSeq = 0;
/** A fresh codice fiscale (16 characters), so that each test has its own employee. */
const fiscalCode = () => `TSTFRN80A01G${String(++fiscalSeq).padStart(4, '0')}`;

const grant = (
  employeeId: string,
  planId: string,
  amountCents: number,
  caller = HR_A,
  requestId = randomUUID(),
) =>
  suite.run<{ grantFringeBenefit: { status: { totalCents: number; level: string } } }>(
    GRANT,
    {
      input: {
        employerId: ORG_A,
        employeeId,
        planId,
        amountCents,
        description: 'Buono carburante',
        requestId,
      },
    },
    caller,
  );

const benefitRows = async (employeeId: string) =>
  Number(
    (
      await suite.sql<{ n: string }>(
        'select count(*)::text as n from corporate_welfare.fringe_benefit where employee_id = ?',
        [employeeId],
      )
    )[0]!.n,
  );

describe('fringeBenefitStatus', () => {
  it('is the running total against the cap, to the employer’s HR and to the employee only', async () => {
    const code = fiscalCode();
    const { employeeId, planId } = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: code,
      creditCents: 150_000,
      dependentChildren: 2,
    });
    expect((await grant(employeeId, planId, 30_000)).errors).toBeUndefined();
    const hr = await suite.run(STATUS, { employeeId, year: YEAR }, HR_A);
    expect(hr.errors).toBeUndefined();
    expect(hr.data?.fringeBenefitStatus).toEqual({
      employeeId,
      year: YEAR,
      capCents: 200_000,
      capSource: 'test',
      warningCents: 160_000,
      declaredCents: 0,
      grantedCents: 30_000,
      totalCents: 30_000,
      remainingCents: 170_000,
      level: 'OK',
      benefits: [{ source: 'PLAN', amountCents: 30_000, description: 'Buono carburante', planId }],
    });
    const self = await suite.run(
      STATUS,
      { employeeId, year: YEAR },
      { ...citizen(), fiscalCode: code },
    );
    expect(self.data?.fringeBenefitStatus).toEqual(hr.data?.fringeBenefitStatus);

    for (const caller of [HR_B, { ...citizen(), fiscalCode: 'VRDGPP70A01G273X' }, citizen()]) {
      expect(errorCode(await suite.run(STATUS, { employeeId, year: YEAR }, caller))).toBe(
        'FORBIDDEN',
      );
    }
    expect(errorCode(await suite.run(STATUS, { employeeId, year: YEAR }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorFields(await suite.run(STATUS, { employeeId: 'x', year: 1 }, HR_A))).toEqual([
      'employeeId',
      'year',
    ]);
  });

  it('lists the employer’s employees only, to its HR only', async () => {
    const own = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: fiscalCode(),
      creditCents: 1_000,
    });
    const other = await seedEmployee(suite, {
      employerId: ORG_B,
      fiscalCode: fiscalCode(),
      creditCents: 1_000,
    });
    const result = await suite.run<{ employerFringeBenefits: { employeeId: string }[] }>(
      LIST,
      { employerId: ORG_A, year: YEAR },
      HR_A,
    );
    expect(result.errors).toBeUndefined();
    const ids = result.data!.employerFringeBenefits.map((e) => e.employeeId);
    expect(ids).toContain(own.employeeId);
    expect(ids).not.toContain(other.employeeId);
    expect(errorCode(await suite.run(LIST, { employerId: ORG_A, year: YEAR }, HR_B))).toBe(
      'FORBIDDEN',
    );
  });
});

describe('grantFringeBenefit', () => {
  it('moves the credit to payroll, warns near the cap and refuses what would cross it', async () => {
    const { employeeId, planId, accountId } = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: fiscalCode(),
      creditCents: 300_000,
    });
    const first = await grant(employeeId, planId, 70_000);
    expect(first.errors).toBeUndefined();
    expect(first.data?.grantFringeBenefit.status).toEqual({
      totalCents: 70_000,
      remainingCents: 30_000,
      level: 'OK',
    });
    const second = await grant(employeeId, planId, 15_000);
    expect(second.data?.grantFringeBenefit.status).toEqual({
      totalCents: 85_000,
      remainingCents: 15_000,
      level: 'WARNING',
    });
    const before = (await book.balance(suite.orm.em.fork(), accountId)).posted;
    expect(before).toBe(300_000 - 85_000);

    const refused = await grant(employeeId, planId, 15_001);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(errorFields(refused)).toEqual(['amountCents']);
    const message = JSON.stringify(
      (refused.errors?.[0]?.originalError as { fields?: unknown })?.fields,
    );
    expect(message).toContain('imponibile');
    expect(message).toContain('taxable');
    expect(message).toContain('150,00');
    // Nothing written: neither the credit nor the benefits moved.
    expect((await book.balance(suite.orm.em.fork(), accountId)).posted).toBe(before);
    expect(await benefitRows(employeeId)).toBe(2);

    // Up to the cap exactly is allowed (the cap is "not above").
    const last = await grant(employeeId, planId, 15_000);
    expect(last.data?.grantFringeBenefit.status).toEqual({
      totalCents: 100_000,
      remainingCents: 0,
      level: 'WARNING',
    });
    expect(errorFields(await grant(employeeId, planId, 1))).toEqual(['amountCents']);
  });

  it('counts the benefits declared from outside, and grants once per request', async () => {
    const { employeeId, planId, accountId } = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: fiscalCode(),
      creditCents: 300_000,
    });
    const declared = await suite.run(
      DECLARE,
      {
        input: {
          employerId: ORG_A,
          employeeId,
          amountCents: 90_000,
          description: 'Auto aziendale ad uso promiscuo',
          benefitDate: `${YEAR}-01-15`,
        },
      },
      HR_A,
    );
    expect(declared.errors).toBeUndefined();
    expect(declared.data?.declareFringeBenefit).toEqual({
      benefit: {
        source: 'DECLARED',
        amountCents: 90_000,
        taxYear: YEAR,
        benefitDate: `${YEAR}-01-15`,
      },
      status: { declaredCents: 90_000, totalCents: 90_000, level: 'WARNING' },
    });
    expect(errorFields(await grant(employeeId, planId, 10_001))).toEqual(['amountCents']);
    const requestId = randomUUID();
    const once = await grant(employeeId, planId, 10_000, HR_A, requestId);
    const again = await grant(employeeId, planId, 10_000, HR_A, requestId);
    expect(once.errors).toBeUndefined();
    expect(again.data).toEqual(once.data);
    expect((await book.balance(suite.orm.em.fork(), accountId)).posted).toBe(290_000);
    expect(await benefitRows(employeeId)).toBe(2);
  });

  it('records a declared benefit past the cap as EXCEEDED, and refuses any grant then', async () => {
    const { employeeId, planId, accountId } = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: fiscalCode(),
      creditCents: 50_000,
    });
    const declared = await suite.run(
      DECLARE,
      {
        input: {
          employerId: ORG_A,
          employeeId,
          amountCents: 120_000,
          description: 'Alloggio aziendale',
          benefitDate: `${YEAR}-01-10`,
        },
      },
      HR_A,
    );
    expect(declared.data?.declareFringeBenefit).toMatchObject({
      status: { declaredCents: 120_000, totalCents: 120_000, level: 'EXCEEDED' },
    });
    const refused = await grant(employeeId, planId, 100);
    expect(errorFields(refused)).toEqual(['amountCents']);
    expect((await book.balance(suite.orm.em.fork(), accountId)).posted).toBe(50_000);
    // Another tax year is another total.
    const other = await suite.run<{ fringeBenefitStatus: { totalCents: number; level: string } }>(
      STATUS,
      { employeeId, year: YEAR - 1 },
      HR_A,
    );
    expect(other.data?.fringeBenefitStatus).toMatchObject({ totalCents: 0, level: 'OK' });
  });

  it('lets two concurrent grants never cross the cap together', async () => {
    const { employeeId, planId, accountId } = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: fiscalCode(),
      creditCents: 500_000,
    });
    expect((await grant(employeeId, planId, 60_000)).errors).toBeUndefined();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => grant(employeeId, planId, 30_000)),
    );
    const granted = results.filter((r) => !r.errors);
    expect(granted).toHaveLength(1);
    for (const r of results.filter((x) => x.errors))
      expect(errorFields(r)).toEqual(['amountCents']);
    expect((await book.balance(suite.orm.em.fork(), accountId)).posted).toBe(500_000 - 90_000);
    const status = await suite.run<{ fringeBenefitStatus: { totalCents: number } }>(
      STATUS,
      { employeeId, year: YEAR },
      HR_A,
    );
    expect(status.data?.fringeBenefitStatus.totalCents).toBe(90_000);
    expect((await book.checkInvariants(suite.orm.em.fork())).problems).toEqual([]);
  });

  it('refuses bad input, other tenants, plans without fringe benefits and amounts over the credit, writing nothing', async () => {
    const { employeeId, planId } = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: fiscalCode(),
      creditCents: 5_000,
    });
    const noFringe = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: fiscalCode(),
      creditCents: 5_000,
      purposes: ['SERVICES_IN_KIND'],
    });
    const bad = await suite.run(
      GRANT,
      {
        input: {
          employerId: ORG_A,
          employeeId: 'nope',
          planId: 'nope',
          amountCents: 0,
          description: ' x ',
          requestId: 'nope',
        },
      },
      HR_A,
    );
    expect(errorFields(bad).sort()).toEqual(
      ['amountCents', 'description', 'employeeId', 'planId', 'requestId'].sort(),
    );
    expect(errorCode(await grant(employeeId, planId, 1_000, HR_B))).toBe('FORBIDDEN');
    expect(
      errorCode(
        await grant(employeeId, planId, 1_000, { ...citizen(), fiscalCode: 'RSSMRA80A01G273X' }),
      ),
    ).toBe('FORBIDDEN');
    // Another employer's HR naming its own employer: A's employee is not found there.
    const crossed = await suite.run(
      GRANT,
      {
        input: {
          employerId: ORG_B,
          employeeId,
          planId,
          amountCents: 1_000,
          description: 'Buono',
          requestId: randomUUID(),
        },
      },
      HR_B,
    );
    expect(errorFields(crossed)).toEqual(['employeeId']);
    expect(errorFields(await grant(noFringe.employeeId, noFringe.planId, 1_000))).toEqual([
      'planId',
    ]);
    expect(errorFields(await grant(employeeId, noFringe.planId, 1_000))).toEqual(['planId']);
    expect(errorFields(await grant(employeeId, planId, 5_001))).toEqual(['amountCents']);
    const declaredBad = await suite.run(
      DECLARE,
      {
        input: {
          employerId: ORG_A,
          employeeId,
          amountCents: -5,
          description: 'ok ok',
          benefitDate: '2999-01-01',
        },
      },
      HR_A,
    );
    expect(errorFields(declaredBad).sort()).toEqual(['amountCents', 'benefitDate']);
    expect(await benefitRows(employeeId)).toBe(0);
    expect(await benefitRows(noFringe.employeeId)).toBe(0);
  });
});
