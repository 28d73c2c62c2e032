import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { citizen } from '@welfare/kit/test-suite';
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
  suite = await setupSuite('my_credit');
});
afterAll(() => suite.close());

const MARIO = 'RSSMRA80A01G273X';
const PROVIDER = '0b7c2d1e-0000-4000-8000-00000000c003';

const MINE = `query ($first: Int, $after: String) {
  myWelfarePlans {
    employeeId employer { id } planId name year validFrom validUntil status categoryCode categoryName
    purposes endRule grantedCents balanceCents pendingCents availableCents
    fringeBenefit { year totalCents capCents level }
    movements(first: $first, after: $after) {
      nodes { kind amountCents balanceAfterCents at }
      hasNextPage endCursor
    }
  }
}`;

interface Mine {
  myWelfarePlans: {
    employeeId: string;
    employer: { id: string };
    planId: string;
    name: string;
    grantedCents: number;
    balanceCents: number;
    pendingCents: number;
    availableCents: number;
    fringeBenefit: { totalCents: number; level: string };
    movements: {
      nodes: { kind: string; amountCents: number; balanceAfterCents: number }[];
      hasNextPage: boolean;
      endCursor: string | null;
    };
  }[];
}

describe('myWelfarePlans', () => {
  let planA = '';
  let employeeA = '';

  beforeAll(async () => {
    const a = await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: MARIO,
      creditCents: 50_000,
      planName: 'Welfare Officine',
    });
    planA = a.planId;
    employeeA = a.employeeId;
    await seedEmployee(suite, { employerId: ORG_B, fiscalCode: MARIO, creditCents: 20_000 });
    // A DRAFT plan of A: the employee sees nothing of it.
    await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: MARIO,
      creditCents: 1_000,
      status: 'DRAFT',
      planName: 'Bozza',
    });
    // Someone else's plan at A.
    await seedEmployee(suite, {
      employerId: ORG_A,
      fiscalCode: 'VRDGPP70A01G273X',
      creditCents: 9_000,
      categoryCode: 'IMPIEGATI',
    });
    // Mario spends at a provider (captured), a checkout holds more, HR grants a fringe benefit.
    const em = suite.orm.em.fork();
    const provider = await book.openAccount(em, {
      code: accountCodes.provider(planA, PROVIDER),
      kind: AccountKind.PROVIDER,
      owner: owners.provider(PROVIDER, planA),
      hot: true,
    });
    const account = await book.openAccount(em, {
      code: accountCodes.employee(planA, a.employeeId),
      kind: AccountKind.HOLDER,
    });
    const spent = randomUUID();
    await book.hold(em, {
      id: spent,
      debit: account.id,
      credit: provider.id,
      amount: 12_000,
      code: TransferCode.SERVICE_PAYMENT,
      timeoutSeconds: 600,
    });
    await book.post(em, { id: randomUUID(), pendingId: spent });
    await book.hold(em, {
      id: randomUUID(),
      debit: account.id,
      credit: provider.id,
      amount: 3_000,
      code: TransferCode.SERVICE_PAYMENT,
      timeoutSeconds: 600,
    });
    const granted = await suite.run(
      `mutation ($input: GrantFringeBenefitInput!) { grantFringeBenefit(input: $input) { status { totalCents } } }`,
      {
        input: {
          employerId: ORG_A,
          employeeId: a.employeeId,
          planId: planA,
          amountCents: 5_000,
          description: 'Buono carburante',
          requestId: randomUUID(),
        },
      },
      member(ORG_A, 'EMPLOYER', 'HR'),
    );
    expect(granted.errors).toBeUndefined();
  });

  it('shows the employee each plan at every employer, with the credit and its movements', async () => {
    const result = await suite.run<Mine>(MINE, {}, { ...citizen(), fiscalCode: MARIO });
    expect(result.errors).toBeUndefined();
    const plans = result.data!.myWelfarePlans;
    expect(plans.map((p) => p.employer.id).sort()).toEqual([ORG_A, ORG_B].sort());
    const a = plans.find((p) => p.employer.id === ORG_A)!;
    expect(a).toMatchObject({
      employeeId: employeeA,
      planId: planA,
      name: 'Welfare Officine',
      year: YEAR,
      status: 'ACTIVE',
      categoryCode: 'OPERAI',
      categoryName: 'Operai',
      purposes: ['SERVICES_IN_KIND', 'FRINGE_BENEFIT'],
      endRule: 'RETURN_TO_EMPLOYER',
      grantedCents: 50_000,
      balanceCents: 50_000 - 12_000 - 5_000,
      pendingCents: 3_000,
      availableCents: 50_000 - 12_000 - 5_000 - 3_000,
      fringeBenefit: { totalCents: 5_000, level: 'OK' },
    });
    expect(a.movements.nodes).toEqual([
      expect.objectContaining({
        kind: 'FRINGE_BENEFIT',
        amountCents: -5_000,
        balanceAfterCents: 33_000,
      }),
      expect.objectContaining({
        kind: 'SERVICE_PAYMENT',
        amountCents: -12_000,
        balanceAfterCents: 38_000,
      }),
      expect.objectContaining({ kind: 'CREDIT', amountCents: 50_000, balanceAfterCents: 50_000 }),
    ]);
    expect(a.movements.hasNextPage).toBe(false);
  });

  it('pages the movements with the balance after each, across pages', async () => {
    const first = await suite.run<Mine>(MINE, { first: 1 }, { ...citizen(), fiscalCode: MARIO });
    const a1 = first.data!.myWelfarePlans.find((p) => p.planId === planA)!;
    expect(a1.movements.nodes).toEqual([
      expect.objectContaining({ kind: 'FRINGE_BENEFIT', balanceAfterCents: 33_000 }),
    ]);
    expect(a1.movements.hasNextPage).toBe(true);
    const seen = [...a1.movements.nodes];
    let cursor = a1.movements.endCursor;
    while (cursor) {
      const next = await suite.run<Mine>(
        MINE,
        { first: 1, after: cursor },
        { ...citizen(), fiscalCode: MARIO },
      );
      expect(next.errors).toBeUndefined();
      const page = next.data!.myWelfarePlans.find((p) => p.planId === planA)!.movements;
      seen.push(...page.nodes);
      cursor = page.hasNextPage ? page.endCursor : null;
    }
    expect(seen.map((m) => [m.kind, m.balanceAfterCents])).toEqual([
      ['FRINGE_BENEFIT', 33_000],
      ['SERVICE_PAYMENT', 38_000],
      ['CREDIT', 50_000],
    ]);
    const bad = await suite.run(
      MINE,
      { first: 0, after: 'x' },
      { ...citizen(), fiscalCode: MARIO },
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(errorFields(bad)).toEqual(['first']);
  });

  it('shows another person nothing of it, a person without codice fiscale nothing at all', async () => {
    const other = await suite.run<Mine>(MINE, {}, { ...citizen(), fiscalCode: 'VRDGPP70A01G273X' });
    expect(other.data!.myWelfarePlans.map((p) => p.employeeId)).not.toContain(employeeA);
    expect(other.data!.myWelfarePlans.every((p) => p.employer.id === ORG_A)).toBe(true);
    expect(other.data!.myWelfarePlans).toHaveLength(1);
    const stranger = await suite.run<Mine>(
      MINE,
      {},
      { ...citizen(), fiscalCode: 'BNCLRA90A41G273X' },
    );
    expect(stranger.data!.myWelfarePlans).toEqual([]);
    // HR of the employer, staff with a password: no codice fiscale, no plan.
    const hr = await suite.run<Mine>(MINE, {}, member(ORG_A, 'EMPLOYER', 'HR'));
    expect(hr.data!.myWelfarePlans).toEqual([]);
    expect(errorCode(await suite.run(MINE, {}, ANONYMOUS))).toBe('UNAUTHENTICATED');
  });
});
