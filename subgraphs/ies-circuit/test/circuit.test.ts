import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import {
  DEMO_CIRCUIT_CODE,
  DEMO_CIRCUIT_ID,
  DEMO_COMUNE_ID,
  DEMO_GIUSEPPE_IES_CENTS,
  DEMO_MEMBER_IDS,
  DEMO_REWARDS_CENTS,
} from '../src/demo/facts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { ANONYMOUS, ORG_B, errorCode, member, setupSuite } from './helpers.js';

let suite: Suite<Services>;

beforeAll(async () => {
  suite = await setupSuite('circuit');
  await loadDemoData(suite.orm.em.fork(), suite.services);
});
afterAll(() => suite.close());

const CIRCUITS = /* GraphQL */ `
  query {
    iesCircuits {
      id
      code
      name
      territory
      managerId
      feeFixedCents
      feeBasisPoints
      feePayer
      welfareExempt
    }
  }
`;

describe('circuits', () => {
  it('are public: anyone reads the circuits and their rules', async () => {
    const result = await suite.run(CIRCUITS, {}, ANONYMOUS);
    expect(result.errors).toBeUndefined();
    expect(result.data?.iesCircuits).toEqual([
      expect.objectContaining({
        id: DEMO_CIRCUIT_ID,
        code: DEMO_CIRCUIT_CODE,
        managerId: DEMO_COMUNE_ID,
        feeFixedCents: 5,
        feeBasisPoints: 100,
        feePayer: 'PAYER',
        welfareExempt: true,
      }),
    ]);
  });

  it('answer NOT_FOUND for an unknown or malformed code', async () => {
    for (const code of ['nowhere', 'BAD CODE!', 'x'.repeat(300)]) {
      const result = await suite.run(
        `query ($code: String!) { iesCircuit(code: $code) { id } }`,
        { code },
        ANONYMOUS,
      );
      expect(errorCode(result)).toBe('NOT_FOUND');
    }
  });

  it('list as managed only the circuits of the caller’s own Comune', async () => {
    const query = `query { myManagedIesCircuits { code } }`;
    const own = await suite.run(query, {}, member(DEMO_COMUNE_ID, 'COMUNE', 'OPERATOR'));
    expect(own.data?.myManagedIesCircuits).toEqual([{ code: DEMO_CIRCUIT_CODE }]);
    const other = await suite.run(query, {}, member(ORG_B, 'COMUNE', 'MANAGER'));
    expect(other.data?.myManagedIesCircuits).toEqual([]);
    const anonymous = await suite.run(query, {}, ANONYMOUS);
    expect(anonymous.data?.myManagedIesCircuits).toEqual([]);
  });

  it('demo data loads once: a second load issues nothing more', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services);
    const em = suite.orm.em.fork();
    const [wallet] = await book.accounts(em, {
      codes: [accountCodes.wallet(DEMO_CIRCUIT_ID, DEMO_MEMBER_IDS.giuseppe)],
    });
    expect(wallet?.creditsPosted).toBe(DEMO_GIUSEPPE_IES_CENTS);
    const [issuer] = await book.accounts(em, { codes: [accountCodes.issuer(DEMO_CIRCUIT_ID)] });
    expect(issuer?.debitsPosted).toBe(DEMO_GIUSEPPE_IES_CENTS + DEMO_REWARDS_CENTS);
    expect((await book.checkInvariants(em)).problems).toEqual([]);
    // The reward for attendance, once.
    expect(await suite.count('earning_rule', { kind: 'ATTENDANCE' })).toBe(1);
  });
});
