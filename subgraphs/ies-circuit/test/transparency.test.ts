import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { DEMO_GIUSEPPE_IES_CENTS, DEMO_REWARDS_CENTS } from '../src/demo/facts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { TransferCode, book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { seedCircuit, seedMember } from './fixtures.js';
import { ANONYMOUS, ORG_A, errorCode, member, setupSuite } from './helpers.js';
import { expectSound } from './reserve-helpers.js';

let suite: Suite<Services>;

beforeAll(async () => {
  suite = await setupSuite('transparency');
  await loadDemoData(suite.orm.em.fork(), suite.services);
});
afterAll(() => suite.close());

const MANAGER = member(ORG_A, 'COMUNE', 'MANAGER');

const FIGURES = /* GraphQL */ `
  query ($code: String!) {
    iesTransparency(code: $code) {
      circuit {
        code
      }
      reserveCents
      issuedCents
      circulationCents
      members {
        kind
        count
      }
      updatedAt
    }
  }
`;
const IMPACT = /* GraphQL */ `
  query ($code: String!) {
    iesImpact(code: $code) {
      localSpendingCents
      localPayments
      organisationsPaid
      circulationCents
      rewardsEarnedCents
      rewardsCount
      membersRewarded
    }
  }
`;

describe('transparency', () => {
  it('shows anyone the demo circuit’s reserve, equal to its circulation, and its members', async () => {
    const result = await suite.run(FIGURES, { code: 'balestrate' }, ANONYMOUS);
    expect(result.errors).toBeUndefined();
    const total = DEMO_GIUSEPPE_IES_CENTS + DEMO_REWARDS_CENTS;
    expect(result.data?.iesTransparency).toMatchObject({
      reserveCents: total,
      issuedCents: total,
      circulationCents: total,
    });
    const members = (result.data?.iesTransparency as { members: { kind: string; count: number }[] })
      .members;
    expect(members.find((m) => m.kind === 'CITIZEN')?.count).toBe(1);
    expect(members.find((m) => m.kind === 'BUSINESS')?.count).toBe(1);
    expect(errorCode(await suite.run(FIGURES, { code: 'nowhere' }, ANONYMOUS))).toBe('NOT_FOUND');
  });

  it('counts payments to member organisations as local spending and rewards as participation', async () => {
    const em = suite.orm.em.fork();
    const { circuit, accounts } = await seedCircuit(em, ORG_A);
    const citizen = await seedMember(em, circuit.id, { issuedCents: 5_000 });
    const other = await seedMember(em, circuit.id, { issuedCents: 100 });
    const shop = await seedMember(em, circuit.id, { kind: 'BUSINESS' });
    const pay = (debit: string, credit: string, amount: number, code: string) =>
      book.transfer(em, { id: randomUUID(), debit, credit, amount, code });
    await pay(citizen.walletId, shop.walletId, 1_200, TransferCode.PAYMENT);
    await pay(citizen.walletId, shop.walletId, 300, TransferCode.PAYMENT);
    await pay(citizen.walletId, other.walletId, 400, TransferCode.PAYMENT); // citizen to citizen
    await suite.services.reserve.recordReceipt(em, MANAGER, {
      circuitId: circuit.id,
      kind: 'REWARD_FUNDING',
      funderName: 'Comune',
      bankReference: 'CRO 5',
      amountCents: 1_000,
      clientKey: `f-${randomUUID()}`,
    });
    await pay(accounts.rewards, citizen.walletId, 150, TransferCode.REWARD);
    await pay(accounts.rewards, other.walletId, 50, TransferCode.REWARD);
    const result = await suite.run(IMPACT, { code: circuit.code }, ANONYMOUS);
    expect(result.data?.iesImpact).toEqual({
      localSpendingCents: 1_500,
      localPayments: 2,
      organisationsPaid: 1,
      circulationCents: 6_100,
      rewardsEarnedCents: 200,
      rewardsCount: 2,
      membersRewarded: 2,
    });
    await expectSound(em);
  });
});
