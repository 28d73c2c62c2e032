import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { CircuitRepository } from '../src/modules/circuit/circuit.repository.js';
import { DemurrageService } from '../src/modules/demurrage/demurrage.service.js';
import { book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { seedCircuit, seedMember } from './fixtures.js';
import { ORG_A, ORG_B, errorCode, member, setupSuite } from './helpers.js';
import { expectSound } from './reserve-helpers.js';

let suite: Suite<Services>;

beforeAll(async () => {
  suite = await setupSuite('demurrage');
});
afterAll(() => suite.close());

describe('demurrage and expiry', () => {
  it('charges each wallet its demurrage once per month, to the fees', async () => {
    const em = suite.orm.em.fork();
    const { circuit, accounts } = await seedCircuit(em, ORG_A, { demurrageBasisPoints: 100 });
    const a = await seedMember(em, circuit.id, { issuedCents: 10_000 });
    const b = await seedMember(em, circuit.id, { kind: 'BUSINESS', issuedCents: 2_550 });
    let now = new Date('2026-12-15T10:00:00Z');
    const service = new DemurrageService(new CircuitRepository(), () => now);
    const first = await service.runCircuit(em, circuit);
    expect(first).toMatchObject({ demurrageCharged: 2, demurrageCents: 100 + 26 });
    const second = await service.runCircuit(em, circuit);
    expect(second.demurrageCharged).toBe(0);
    const [fees] = await book.accounts(em, { ids: [accounts.fees] });
    expect(fees?.posted).toBe(126);
    now = new Date('2027-01-02T10:00:00Z');
    const january = await service.run(em);
    expect(january.demurrageCharged).toBeGreaterThanOrEqual(2);
    const [wallet] = await book.accounts(em, { ids: [a.walletId] });
    expect(wallet?.posted).toBe(10_000 - 100 - 99);
    const [shop] = await book.accounts(em, { ids: [b.walletId] });
    expect(shop?.posted).toBe(2_550 - 26 - 25);
    await expectSound(em);
  });

  it('gives the balance of a wallet idle for expiryMonths to the rewards, once', async () => {
    const em = suite.orm.em.fork();
    const { circuit, accounts } = await seedCircuit(em, ORG_A, { expiryMonths: 6 });
    const idle = await seedMember(em, circuit.id, { issuedCents: 1_234 });
    let now = new Date();
    const service = new DemurrageService(new CircuitRepository(), () => now);
    expect((await service.runCircuit(em, circuit)).expired).toBe(0);
    now = new Date(Date.now() + 200 * 24 * 3600 * 1000);
    const done = await service.runCircuit(em, circuit);
    expect(done).toMatchObject({ expired: 1, expiredCents: 1_234 });
    expect((await service.runCircuit(em, circuit)).expired).toBe(0);
    const [wallet] = await book.accounts(em, { ids: [idle.walletId] });
    expect(wallet?.posted).toBe(0);
    const [rewards] = await book.accounts(em, { ids: [accounts.rewards] });
    expect(rewards?.posted).toBe(1_234);
    await expectSound(em);
  });
});

describe('the manual run (runIesDemurrage)', () => {
  const RUN = /* GraphQL */ `
    mutation ($circuitId: ID!) {
      runIesDemurrage(circuitId: $circuitId) {
        circuitId
        month
        demurrageCharged
        demurrageCents
        expired
        expiredCents
      }
    }
  `;
  type Run = {
    runIesDemurrage: { month: string; demurrageCharged: number; demurrageCents: number };
  };
  const MANAGER = member(ORG_A, 'COMUNE', 'MANAGER');
  const OPERATOR = member(ORG_A, 'COMUNE', 'OPERATOR');
  const OTHER_MANAGER = member(ORG_B, 'COMUNE', 'MANAGER');

  it('runs one circuit now for its MANAGER, charging each wallet once a month, audited', async () => {
    const em = suite.orm.em.fork();
    const { circuit, accounts } = await seedCircuit(em, ORG_A, { demurrageBasisPoints: 200 });
    const a = await seedMember(em, circuit.id, { issuedCents: 5_000 });
    await seedMember(em, circuit.id, { kind: 'BUSINESS', issuedCents: 1_000 });
    // Another circuit of the same Comune, with demurrage: left alone by this run.
    const other = await seedCircuit(em, ORG_A, { demurrageBasisPoints: 200 });
    const untouched = await seedMember(em, other.circuit.id, { issuedCents: 3_000 });

    for (const refused of [OPERATOR, OTHER_MANAGER]) {
      expect(errorCode(await suite.run(RUN, { circuitId: circuit.id }, refused))).toBe('FORBIDDEN');
    }
    const [before] = await book.accounts(em, { ids: [a.walletId] });
    expect(before?.posted).toBe(5_000);

    const first = await suite.run<Run>(RUN, { circuitId: circuit.id }, MANAGER);
    expect(first.errors).toBeUndefined();
    expect(first.data?.runIesDemurrage).toMatchObject({
      circuitId: circuit.id,
      demurrageCharged: 2,
      demurrageCents: 100 + 20,
      expired: 0,
      expiredCents: 0,
    });
    expect(first.data?.runIesDemurrage.month).toMatch(/^\d{4}-\d{2}$/);
    const second = await suite.run<Run>(RUN, { circuitId: circuit.id }, MANAGER);
    expect(second.data?.runIesDemurrage).toMatchObject({ demurrageCharged: 0, demurrageCents: 0 });

    const [fees] = await book.accounts(em, { ids: [accounts.fees] });
    expect(fees?.posted).toBe(120);
    const [wallet] = await book.accounts(em, { ids: [a.walletId] });
    expect(wallet?.posted).toBe(4_900);
    const [otherWallet] = await book.accounts(em, { ids: [untouched.walletId] });
    expect(otherWallet?.posted).toBe(3_000);
    const audit = await em.execute<{ action: string }[]>(
      `select action from ies_circuit.audit_event where subject like ? order by seq`,
      [`circuit:${circuit.id}:%`],
    );
    expect(audit.map((r) => r.action)).toEqual(['IES_DEMURRAGE_RUN', 'IES_DEMURRAGE_RUN']);
    await expectSound(em);
  });

  it('refuses an unknown circuit', async () => {
    const run = await suite.run(
      RUN,
      { circuitId: '0b7c2d1e-0000-4000-8000-0000000000ff' },
      MANAGER,
    );
    expect(errorCode(run)).toBe('NOT_FOUND');
  });
});
