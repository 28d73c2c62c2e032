import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { ANONYMOUS, CITIZEN, ORG_A, ORG_B, errorCode, member, setupSuite } from './helpers.js';
import { CREATE, PDF, enrol, planInput } from './plan-fixtures.js';

let suite: Suite<Services>;
const clock = { now: new Date('2026-03-01T09:00:00Z') };
beforeAll(async () => {
  suite = await setupSuite('funding', { now: () => clock.now });
});
afterAll(() => suite.close());

const HR_A = member(ORG_A, 'EMPLOYER', 'HR');
const HR_B = member(ORG_B, 'EMPLOYER', 'HR');
/** A third employer, for the crediting of late enrolments. */
const ORG_C = '0b7c2d1e-0000-4000-8000-00000000c003';
const HR_C = member(ORG_C, 'EMPLOYER', 'HR');

const FUND = `mutation ($id: ID!) {
  fundWelfarePlan(id: $id) {
    id status fundedAt
    funding { fundedCents creditedCents employeesCredited poolBalanceCents }
  }
}`;

/** A plan of the employer, published (regulation uploaded), ready to fund. */
async function publishedPlan(
  employerId: string,
  hr: typeof HR_A,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const created = await suite.run<{ createWelfarePlan: { id: string } }>(
    CREATE,
    { employerId, input: planInput(overrides) },
    hr,
  );
  expect(created.errors).toBeUndefined();
  const id = created.data!.createWelfarePlan.id;
  await suite.services.plans.setRegulation(suite.orm.em.fork(), hr, id, {
    fileName: 'regolamento.pdf',
    content: PDF,
  });
  await suite.services.plans.publish(suite.orm.em.fork(), hr, id);
  return id;
}

async function employeeBalances(planId: string): Promise<number[]> {
  const accounts = await book.accounts(suite.orm.em.fork(), {
    owner: { kind: 'employee', scopeIds: [planId] },
  });
  return accounts.map((a) => a.posted);
}

async function invariantsHold(): Promise<void> {
  const report = await book.checkInvariants(suite.orm.em.fork());
  expect(report.ok).toBe(true);
}

describe('fundWelfarePlan', () => {
  it('funds and credits many employees once, even twice in parallel', async () => {
    // 300 in force (200 OPERAI at 500 €, 100 IMPIEGATI at 300 €); a leaver, a category the plan
    // does not cover and another employer's employees are not credited.
    await enrol(suite, ORG_A, [
      { category: 'OPERAI', count: 200 },
      { category: 'IMPIEGATI', count: 100 },
      { category: 'OPERAI', count: 1, startDate: '2020-01-01', endDate: '2025-12-31' },
      { category: 'DIRIGENTI', count: 2 },
    ]);
    await enrol(suite, ORG_B, [{ category: 'OPERAI', count: 5 }], 'B');
    const id = await publishedPlan(ORG_A, HR_A);

    const [one, two] = await Promise.all([
      suite.run(FUND, { id }, HR_A),
      suite.run(FUND, { id }, HR_A),
    ]);
    expect(one.errors).toBeUndefined();
    expect(two.errors).toBeUndefined();
    const expected = 200 * 50_000 + 100 * 30_000;
    for (const result of [one, two]) {
      expect(result.data?.fundWelfarePlan).toMatchObject({
        id,
        status: 'ACTIVE',
        funding: {
          fundedCents: expected,
          creditedCents: expected,
          employeesCredited: 300,
          poolBalanceCents: 0,
        },
      });
    }
    const balances = await employeeBalances(id);
    expect(balances).toHaveLength(300);
    expect(balances.filter((b) => b === 50_000)).toHaveLength(200);
    expect(balances.filter((b) => b === 30_000)).toHaveLength(100);
    const [issuer] = await book.accounts(suite.orm.em.fork(), {
      codes: [accountCodes.issuer(ORG_A)],
    });
    expect(issuer?.posted).toBe(-expected);
    // Again, later: nothing more moves.
    const again = await suite.run(FUND, { id }, HR_A);
    expect(again.data).toEqual(one.data);
    expect((await employeeBalances(id)).reduce((s, b) => s + b, 0)).toBe(expected);
    await invariantsHold();
  });

  it('refuses a plan not published, or ended, and writes nothing', async () => {
    const created = await suite.run<{ createWelfarePlan: { id: string } }>(
      CREATE,
      { employerId: ORG_B, input: planInput() },
      HR_B,
    );
    const draft = created.data!.createWelfarePlan.id;
    expect(errorCode(await suite.run(FUND, { id: draft }, HR_B))).toBe('CONFLICT');
    const ended = await publishedPlan(ORG_B, HR_B, {
      validFrom: '2026-01-01',
      validUntil: '2026-03-31',
    });
    clock.now = new Date('2026-04-02T09:00:00Z');
    try {
      expect(errorCode(await suite.run(FUND, { id: ended }, HR_B))).toBe('CONFLICT');
    } finally {
      clock.now = new Date('2026-03-01T09:00:00Z');
    }
    expect(await employeeBalances(draft)).toEqual([]);
    expect(await employeeBalances(ended)).toEqual([]);
    const [row] = await suite.sql<{ status: string; funded_at: unknown }>(
      'select status, funded_at from corporate_welfare.plan where id = ?',
      [ended],
    );
    expect(row).toEqual({ status: 'DRAFT', funded_at: null });
  });

  it('refuses anyone but the plan’s employer’s HR', async () => {
    const id = await publishedPlan(ORG_B, HR_B, { name: 'Piano di B' });
    for (const caller of [ANONYMOUS, CITIZEN, HR_A, member(ORG_B, 'COMUNE', 'MANAGER')]) {
      const result = await suite.run(FUND, { id }, caller);
      expect(errorCode(result)).toBe(caller === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    expect(errorCode(await suite.run(FUND, { id: 'x' }, HR_B))).toBe('BAD_USER_INPUT');
    const [row] = await suite.sql<{ status: string }>(
      'select status from corporate_welfare.plan where id = ?',
      [id],
    );
    expect(row?.status).toBe('DRAFT');
  });
});

describe('creditEnrolled', () => {
  it('credits employees enrolled after funding once, even when called in parallel', async () => {
    await enrol(suite, ORG_C, [{ category: 'OPERAI', count: 3 }], 'C');
    const id = await publishedPlan(ORG_C, HR_C);
    const funded = await suite.run(FUND, { id }, HR_C);
    expect(funded.errors).toBeUndefined();
    expect(await employeeBalances(id)).toEqual([50_000, 50_000, 50_000]);

    // The import adds 40 employees (one starting next year: not in force yet).
    await enrol(suite, ORG_C, [{ category: 'IMPIEGATI', count: 40 }], 'D');
    await enrol(suite, ORG_C, [{ category: 'OPERAI', count: 1, startDate: '2027-01-01' }], 'F');
    const outcomes = await Promise.all([
      suite.services.funding.creditEnrolled(suite.orm.em.fork(), ORG_C),
      suite.services.funding.creditEnrolled(suite.orm.em.fork(), ORG_C),
      suite.services.funding.creditEnrolled(suite.orm.em.fork(), ORG_C),
    ]);
    expect(outcomes.reduce((s, o) => s + o.employeesCredited, 0)).toBe(40);
    expect(outcomes.reduce((s, o) => s + o.creditedCents, 0)).toBe(40 * 30_000);
    expect(await suite.services.funding.creditEnrolled(suite.orm.em.fork(), ORG_C)).toEqual({
      employeesCredited: 0,
      creditedCents: 0,
    });
    const balances = await employeeBalances(id);
    expect(balances).toHaveLength(43);
    expect(balances.reduce((s, b) => s + b, 0)).toBe(3 * 50_000 + 40 * 30_000);
    const totals = await suite.run(FUND, { id }, HR_C);
    expect(totals.data?.fundWelfarePlan).toMatchObject({
      funding: {
        fundedCents: 3 * 50_000 + 40 * 30_000,
        creditedCents: 3 * 50_000 + 40 * 30_000,
        employeesCredited: 43,
        poolBalanceCents: 0,
      },
    });
    await invariantsHold();
  });
});
