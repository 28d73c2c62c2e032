import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { seedCircuit, seedMember } from './fixtures.js';
import { ORG_A, setupSuite } from './helpers.js';

let suite: Suite<Services>;

beforeAll(async () => {
  suite = await setupSuite('ledger');
});
afterAll(() => suite.close());

describe('the ledger', () => {
  it('issues IES into a wallet: the issuer’s debit is the IES in circulation', async () => {
    const em = suite.orm.em.fork();
    const { circuit, accounts } = await seedCircuit(em, ORG_A);
    const { walletId } = await seedMember(em, circuit.id, { issuedCents: 2_500 });
    const shop = await seedMember(em, circuit.id, { kind: 'BUSINESS', issuedCents: 700 });
    const [wallet] = await book.accounts(em, { ids: [walletId] });
    expect(wallet?.creditsPosted).toBe(2_500);
    const [shopWallet] = await book.accounts(em, { ids: [shop.walletId] });
    expect(shopWallet?.hot).toBe(true);
    const [issuer] = await book.accounts(em, { ids: [accounts.issuer] });
    expect(issuer?.debitsPosted).toBe(3_200);
    expect((await book.checkInvariants(em)).problems).toEqual([]);
  });
});
