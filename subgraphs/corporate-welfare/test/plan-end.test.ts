import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { AccountKind, accountCodes, book, deterministicId } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { ANONYMOUS, CITIZEN, ORG_A, ORG_B, errorCode, member, setupSuite } from './helpers.js';
import { CREATE, PDF, enrol, planInput } from './plan-fixtures.js';

let suite: Suite<Services>;
const MARCH = new Date('2026-03-01T09:00:00Z');
const clock = { now: MARCH };
beforeAll(async () => {
  suite = await setupSuite('plan_end', { now: () => clock.now });
});
afterAll(() => suite.close());

const ORG_C = '0b7c2d1e-0000-4000-8000-00000000c003';
const HR = (org: string) => member(org, 'EMPLOYER', 'HR');

const CLOSE = `mutation ($id: ID!) {
  closeWelfarePlan(id: $id) {
    plan { id status closedAt }
    returnedCents carriedOverCents carriedOverTo { id } carryOverFellBack
  }
}`;

/** A funded plan of the employer (created, regulation, published, funded), by the clock. */
async function fundedPlan(employerId: string, overrides: Record<string, unknown>): Promise<string> {
  const hr = HR(employerId);
  const created = await suite.run<{ createWelfarePlan: { id: string } }>(
    CREATE,
    { employerId, input: planInput(overrides) },
    hr,
  );
  expect(created.errors).toBeUndefined();
  const id = created.data!.createWelfarePlan.id;
  const em = () => suite.orm.em.fork();
  await suite.services.plans.setRegulation(em(), hr, id, { fileName: 'r.pdf', content: PDF });
  await suite.services.plans.publish(em(), hr, id);
  await suite.services.funding.fund(em(), hr, id);
  return id;
}

/** Spends `amount` of an employee's credit (a payment to a provider: the cw-fund's business). */
async function spend(planId: string, accountId: string, amount: number): Promise<void> {
  const em = suite.orm.em.fork();
  const provider = await book.openAccount(em, {
    code: accountCodes.provider(planId, ORG_B),
    kind: AccountKind.PROVIDER,
  });
  await book.transfer(em, {
    id: deterministicId('test-spend', accountId, amount),
    debit: accountId,
    credit: provider.id,
    amount,
    code: 'SERVICE_PAYMENT',
  });
}

async function employeeAccounts(planId: string) {
  return book.accounts(suite.orm.em.fork(), { owner: { kind: 'employee', scopeIds: [planId] } });
}

async function issuerBalance(employerId: string): Promise<number> {
  const [issuer] = await book.accounts(suite.orm.em.fork(), {
    codes: [accountCodes.issuer(employerId)],
  });
  return issuer?.posted ?? 0;
}

async function invariantsHold(): Promise<void> {
  expect((await book.checkInvariants(suite.orm.em.fork())).ok).toBe(true);
}

describe('closeWelfarePlan', () => {
  it('RETURN_TO_EMPLOYER: returns exactly the unspent credit once, with two concurrent closes', async () => {
    clock.now = MARCH;
    await enrol(suite, ORG_A, [
      { category: 'OPERAI', count: 4 },
      { category: 'IMPIEGATI', count: 2 },
    ]);
    const id = await fundedPlan(ORG_A, { validUntil: '2026-06-30' });
    const accounts = await employeeAccounts(id);
    expect(accounts).toHaveLength(6);
    await spend(id, accounts[0]!.id, 12_345);
    await spend(id, accounts[1]!.id, accounts[1]!.posted); // all of it
    const funded = 4 * 50_000 + 2 * 30_000;
    const spent = 12_345 + accounts[1]!.posted;
    expect(await issuerBalance(ORG_A)).toBe(-funded);

    // Not before its last day has passed.
    clock.now = new Date('2026-06-30T20:00:00Z');
    expect(errorCode(await suite.run(CLOSE, { id }, HR(ORG_A)))).toBe('CONFLICT');

    clock.now = new Date('2026-07-01T08:00:00Z');
    const [one, two] = await Promise.all([
      suite.run(CLOSE, { id }, HR(ORG_A)),
      suite.run(CLOSE, { id }, HR(ORG_A)),
    ]);
    expect(one.errors).toBeUndefined();
    expect(two.errors).toBeUndefined();
    for (const result of [one, two]) {
      expect(result.data?.closeWelfarePlan).toMatchObject({
        plan: { id, status: 'CLOSED' },
        returnedCents: funded - spent,
        carriedOverCents: 0,
        carriedOverTo: null,
        carryOverFellBack: false,
      });
    }
    expect((await employeeAccounts(id)).map((a) => a.posted)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await issuerBalance(ORG_A)).toBe(-spent);
    // The job finds nothing more to close; closing again moves nothing.
    expect(await suite.services.planEnd.closeEnded(suite.orm.em.fork())).toBe(0);
    const again = await suite.run(CLOSE, { id }, HR(ORG_A));
    expect(again.data).toEqual(one.data);
    expect(await issuerBalance(ORG_A)).toBe(-spent);
    await invariantsHold();
  });

  it('CARRY_OVER: moves each employee’s unspent credit to their account in the next plan', async () => {
    clock.now = MARCH;
    await enrol(suite, ORG_B, [{ category: 'OPERAI', count: 3 }], 'B');
    const old = await fundedPlan(ORG_B, {
      name: 'Piano primo semestre',
      validUntil: '2026-06-30',
      endRule: 'CARRY_OVER',
    });
    const next = await fundedPlan(ORG_B, {
      name: 'Piano secondo semestre',
      validFrom: '2026-07-01',
      validUntil: '2026-12-31',
      categories: [
        { code: 'OPERAI', name: 'Operai', criterion: 'Livelli 1-3', creditCents: 10_000 },
      ],
    });
    const oldAccounts = await employeeAccounts(old);
    await spend(old, oldAccounts[0]!.id, 20_000);
    clock.now = new Date('2026-07-02T08:00:00Z');
    const closed = await suite.services.planEnd.closeEnded(suite.orm.em.fork());
    expect(closed).toBe(1);
    const result = await suite.run(CLOSE, { id: old }, HR(ORG_B));
    expect(result.data?.closeWelfarePlan).toMatchObject({
      plan: { id: old, status: 'CLOSED' },
      returnedCents: 0,
      carriedOverCents: 3 * 50_000 - 20_000,
      carriedOverTo: { id: next },
      carryOverFellBack: false,
    });
    const nextAccounts = await employeeAccounts(next);
    expect(nextAccounts.map((a) => a.posted).sort((x, y) => x - y)).toEqual([
      10_000 + 30_000,
      10_000 + 50_000,
      10_000 + 50_000,
    ]);
    expect((await employeeAccounts(old)).every((a) => a.posted === 0)).toBe(true);
    await invariantsHold();
  });

  it('CARRY_OVER without a next plan: back to the employer, and the closure says so', async () => {
    clock.now = MARCH;
    await enrol(suite, ORG_C, [{ category: 'IMPIEGATI', count: 2 }], 'C');
    const id = await fundedPlan(ORG_C, { validUntil: '2026-05-31', endRule: 'CARRY_OVER' });
    clock.now = new Date('2026-06-01T08:00:00Z');
    const result = await suite.run(CLOSE, { id }, HR(ORG_C));
    expect(result.data?.closeWelfarePlan).toMatchObject({
      returnedCents: 60_000,
      carriedOverCents: 0,
      carriedOverTo: null,
      carryOverFellBack: true,
    });
    expect(await issuerBalance(ORG_C)).toBe(0);
    await invariantsHold();
  });

  it('refuses to close while an employee has a payment under way, then closes after it', async () => {
    clock.now = MARCH;
    const org = '0b7c2d1e-0000-4000-8000-00000000d004';
    await enrol(suite, org, [{ category: 'OPERAI', count: 1 }], 'H');
    const id = await fundedPlan(org, { validUntil: '2026-04-30' });
    const [account] = await employeeAccounts(id);
    const em = suite.orm.em.fork();
    const provider = await book.openAccount(em, {
      code: accountCodes.provider(id, ORG_B),
      kind: AccountKind.PROVIDER,
    });
    const hold = await book.hold(em, {
      id: deterministicId('test-hold', id),
      debit: account!.id,
      credit: provider.id,
      amount: 5_000,
      timeoutSeconds: 600,
      code: 'SERVICE_PAYMENT',
    });
    clock.now = new Date('2026-05-01T08:00:00Z');
    expect(errorCode(await suite.run(CLOSE, { id }, HR(org)))).toBe('CONFLICT');
    const skipped: string[] = [];
    await suite.services.planEnd.closeEnded(suite.orm.em.fork(), (planId) => skipped.push(planId));
    expect(skipped).toContain(id);
    const [row] = await suite.sql<{ status: string }>(
      'select status from corporate_welfare.plan where id = ?',
      [id],
    );
    expect(row?.status).toBe('ACTIVE');
    await book.post(suite.orm.em.fork(), {
      id: deterministicId('test-post', id),
      pendingId: hold.id,
    });
    const result = await suite.run(CLOSE, { id }, HR(org));
    expect(result.data?.closeWelfarePlan).toMatchObject({ returnedCents: 45_000 });
    await invariantsHold();
  });

  it('refuses anyone but the plan’s employer’s HR', async () => {
    clock.now = MARCH;
    const org = '0b7c2d1e-0000-4000-8000-00000000e005';
    const id = await fundedPlan(org, { validUntil: '2026-04-30' });
    clock.now = new Date('2026-05-01T08:00:00Z');
    for (const caller of [ANONYMOUS, CITIZEN, HR(ORG_A), member(org, 'COMUNE', 'MANAGER')]) {
      const result = await suite.run(CLOSE, { id }, caller);
      expect(errorCode(result)).toBe(caller === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    const [row] = await suite.sql<{ status: string }>(
      'select status from corporate_welfare.plan where id = ?',
      [id],
    );
    expect(row?.status).toBe('ACTIVE');
  });
});
