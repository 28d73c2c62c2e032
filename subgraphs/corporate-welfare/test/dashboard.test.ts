import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { citizen } from '@welfare/kit/test-suite';
import { DEFAULT_LEGAL_FIGURES } from '../src/legal.js';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  owners,
} from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { YEAR, seedEmployee } from './employee-seed.js';
import { ANONYMOUS, ORG_A, ORG_B, errorCode, errorFields, member, setupSuite } from './helpers.js';

let suite: Suite<Services>;
beforeAll(async () => {
  suite = await setupSuite('dashboard', {
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
const DASHBOARD = `query ($employerId: ID!, $year: Int!) {
  employerWelfareDashboard(employerId: $employerId, year: $year) {
    employerId year employees fringeWarnings fringeExceeded
    plans { planId name status employees fundedCents poolCents creditedCents servicesCents
      reimbursementsCents fringeBenefitsCents endedCents balanceCents heldCents }
  }
}`;

describe('employerWelfareDashboard', () => {
  it('sums each plan’s money from the book and counts the employees near the cap', async () => {
    const { planId, employeeId, accountId } = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: 'RSSMRA80A01G273X',
      creditCents: 100_000,
      planName: 'Piano A',
    });
    await seedEmployee(suite, {
      employerId: ORG_B,
      fiscalCode: 'VRDGPP70A01G273X',
      creditCents: 7_000,
    });
    const em = suite.orm.em.fork();
    const provider = await book.openAccount(em, {
      code: accountCodes.provider(planId, ORG_B),
      kind: AccountKind.PROVIDER,
      owner: owners.provider(ORG_B, planId),
      hot: true,
    });
    await book.transfer(em, {
      id: randomUUID(),
      debit: accountId,
      credit: provider.id,
      amount: 12_000,
      code: TransferCode.SERVICE_PAYMENT,
    });
    const granted = await suite.run(
      `mutation ($input: GrantFringeBenefitInput!) { grantFringeBenefit(input: $input) { status { level } } }`,
      {
        input: {
          employerId: ORG_A,
          employeeId,
          planId,
          amountCents: 85_000,
          description: 'Buoni carburante',
          requestId: randomUUID(),
        },
      },
      HR_A,
    );
    expect(granted.errors).toBeUndefined();
    const result = await suite.run(DASHBOARD, { employerId: ORG_A, year: YEAR }, HR_A);
    expect(result.errors).toBeUndefined();
    expect(result.data?.employerWelfareDashboard).toEqual({
      employerId: ORG_A,
      year: YEAR,
      employees: 1,
      fringeWarnings: 1,
      fringeExceeded: 0,
      plans: [
        {
          planId,
          name: 'Piano A',
          status: 'ACTIVE',
          employees: 1,
          fundedCents: 100_000,
          poolCents: 0,
          creditedCents: 100_000,
          servicesCents: 12_000,
          reimbursementsCents: 0,
          fringeBenefitsCents: 85_000,
          endedCents: 0,
          balanceCents: 3_000,
          heldCents: 0,
        },
      ],
    });
  });

  it('is the employer’s HR’s only', async () => {
    for (const caller of [
      member(ORG_B, 'EMPLOYER', 'HR'),
      citizen(),
      member(ORG_A, 'COMUNE', 'MANAGER'),
    ])
      expect(errorCode(await suite.run(DASHBOARD, { employerId: ORG_A, year: YEAR }, caller))).toBe(
        'FORBIDDEN',
      );
    expect(
      errorCode(await suite.run(DASHBOARD, { employerId: ORG_A, year: YEAR }, ANONYMOUS)),
    ).toBe('UNAUTHENTICATED');
    expect(errorFields(await suite.run(DASHBOARD, { employerId: ORG_A, year: 1 }, HR_A))).toEqual([
      'year',
    ]);
  });
});
