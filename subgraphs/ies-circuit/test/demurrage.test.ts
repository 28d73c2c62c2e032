import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { CircuitRepository } from '../src/modules/circuit/circuit.repository.js';
import { DemurrageService } from '../src/modules/demurrage/demurrage.service.js';
import { book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { seedCircuit, seedMember } from './fixtures.js';
import { ORG_A, setupSuite } from './helpers.js';
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
