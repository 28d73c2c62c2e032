import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { seedCircuit, seedMember } from './fixtures.js';
import { ANONYMOUS, ORG_A, ORG_B, errorCode, errorFields, member, setupSuite } from './helpers.js';
import { expectSound } from './reserve-helpers.js';

let suite: Suite<Services>;

beforeAll(async () => {
  suite = await setupSuite('reserve');
});
afterAll(() => suite.close());

const STAFF = member(ORG_A, 'COMUNE', 'OPERATOR');
const MANAGER = member(ORG_A, 'COMUNE', 'MANAGER');
const OTHER_MANAGER = member(ORG_B, 'COMUNE', 'MANAGER');

const RECORD = /* GraphQL */ `
  mutation ($input: IesReserveReceiptInput!) {
    recordIesEuroReceived(input: $input) {
      id
      kind
      memberId
      amountCents
      bankReference
    }
  }
`;
const USE = /* GraphQL */ `
  mutation ($input: IesFeeUseInput!) {
    useIesFees(input: $input) {
      id
      kind
      amountCents
      description
    }
  }
`;
const TRANSPARENCY = /* GraphQL */ `
  query ($code: String!) {
    iesTransparency(code: $code) {
      reserveCents
      issuedCents
      redeemedCents
      circulationCents
      feesCollectedCents
      feesUsedCents
      feesBalanceCents
      feeUses {
        kind
        amountCents
        description
      }
      members {
        kind
        count
      }
    }
  }
`;

async function balance(code: string): Promise<number> {
  const [account] = await book.accounts(suite.orm.em.fork(), { codes: [code] });
  return account?.posted ?? 0;
}

describe('euro received', () => {
  it('issues a purchase into the member’s wallet and a funding into the rewards, once per key', async () => {
    const em = suite.orm.em.fork();
    const { circuit } = await seedCircuit(em, ORG_A);
    const { member: citizen } = await seedMember(em, circuit.id);
    const key = `purchase-${randomUUID()}`;
    const input = {
      circuitId: circuit.id,
      kind: 'PURCHASE',
      memberId: citizen.id,
      funderName: 'Mario Rossi',
      bankReference: 'CRO 0001',
      amountCents: 2_000,
      clientKey: key,
    };
    const first = await suite.run(RECORD, { input }, STAFF);
    expect(first.errors).toBeUndefined();
    const again = await suite.run(RECORD, { input }, STAFF);
    expect(again.data?.recordIesEuroReceived).toEqual(first.data?.recordIesEuroReceived);
    const conflict = await suite.run(RECORD, { input: { ...input, amountCents: 3_000 } }, STAFF);
    expect(errorCode(conflict)).toBe('CONFLICT');
    expect(await balance(accountCodes.wallet(circuit.id, citizen.id))).toBe(2_000);

    const funding = await suite.run(
      RECORD,
      {
        input: {
          circuitId: circuit.id,
          kind: 'REWARD_FUNDING',
          funderName: 'Comune di Prova',
          bankReference: 'CRO 0002',
          amountCents: 10_000,
          clientKey: `funding-${randomUUID()}`,
        },
      },
      MANAGER,
    );
    expect(funding.errors).toBeUndefined();
    expect(await balance(accountCodes.rewards(circuit.id))).toBe(10_000);
    const figures = await suite.run(TRANSPARENCY, { code: circuit.code }, ANONYMOUS);
    expect(figures.data?.iesTransparency).toMatchObject({
      reserveCents: 12_000,
      issuedCents: 12_000,
      redeemedCents: 0,
      circulationCents: 12_000,
    });
    await expectSound(em);
  });

  it('is concurrent-safe: the same key sent at once records and issues once', async () => {
    const em = suite.orm.em.fork();
    const { circuit } = await seedCircuit(em, ORG_A);
    const input = {
      circuitId: circuit.id,
      kind: 'REWARD_FUNDING',
      funderName: 'Sponsor Srl',
      bankReference: 'TRN 77',
      amountCents: 500,
      clientKey: `race-${randomUUID()}`,
    };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => suite.run(RECORD, { input }, STAFF)),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(
      new Set(results.map((r) => (r.data?.recordIesEuroReceived as { id: string }).id)).size,
    ).toBe(1);
    expect(await balance(accountCodes.rewards(circuit.id))).toBe(500);
    await expectSound(em);
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const em = suite.orm.em.fork();
    const { circuit } = await seedCircuit(em, ORG_A);
    const result = await suite.run(
      RECORD,
      {
        input: {
          circuitId: circuit.id,
          kind: 'PURCHASE',
          funderName: 'x',
          bankReference: '',
          amountCents: 0,
          clientKey: 'short',
        },
      },
      STAFF,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result)).toEqual([
      'amountCents',
      'bankReference',
      'clientKey',
      'funderName',
      'memberId',
    ]);
    const unknownMember = await suite.run(
      RECORD,
      {
        input: {
          circuitId: circuit.id,
          kind: 'PURCHASE',
          memberId: randomUUID(),
          funderName: 'Mario Rossi',
          bankReference: 'CRO 1',
          amountCents: 100,
          clientKey: `k-${randomUUID()}`,
        },
      },
      STAFF,
    );
    expect(errorFields(unknownMember)).toEqual(['memberId']);
    expect((await suite.services.reserve.receipts(em, STAFF, circuit.id)).length).toBe(0);
    const [issuer] = await book.accounts(em, { codes: [accountCodes.issuer(circuit.id)] });
    expect(issuer?.debitsPosted).toBe(0);
  });

  it('is the circuit’s staff’s only: another circuit’s manager, a member, anonymous are refused', async () => {
    const em = suite.orm.em.fork();
    const { circuit } = await seedCircuit(em, ORG_A);
    const input = {
      circuitId: circuit.id,
      kind: 'REWARD_FUNDING',
      funderName: 'Comune',
      bankReference: 'CRO 9',
      amountCents: 100,
      clientKey: `t-${randomUUID()}`,
    };
    expect(errorCode(await suite.run(RECORD, { input }, OTHER_MANAGER))).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(RECORD, { input }, member(ORG_A, 'MERCHANT', 'OWNER')))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await suite.run(RECORD, { input }, ANONYMOUS))).toBe('UNAUTHENTICATED');
    const list = await suite.run(
      `query ($c: ID!) { iesReserveReceipts(circuitId: $c) { id } }`,
      { c: circuit.id },
      OTHER_MANAGER,
    );
    expect(errorCode(list)).toBe('FORBIDDEN');
    expect(await balance(accountCodes.rewards(circuit.id))).toBe(0);
  });
});

describe('fee uses', () => {
  it('move fees to the rewards, a project, or out to euro (the reserve shrinks), publicly', async () => {
    const em = suite.orm.em.fork();
    const { circuit, accounts } = await seedCircuit(em, ORG_A);
    // Fees collected: a payment's fee, moved here as the payment module would.
    const { walletId } = await seedMember(em, circuit.id, { issuedCents: 5_000 });
    await book.transfer(em, {
      id: randomUUID(),
      debit: walletId,
      credit: accounts.fees,
      amount: 900,
      code: 'FEE',
    });
    const use = (kind: string, amountCents: number, extra: Record<string, unknown> = {}) =>
      suite.run(
        USE,
        {
          input: {
            circuitId: circuit.id,
            kind,
            amountCents,
            description: `Uso ${kind}`,
            clientKey: `use-${randomUUID()}`,
            ...extra,
          },
        },
        MANAGER,
      );
    expect((await use('REWARDS', 300)).errors).toBeUndefined();
    expect((await use('PROJECT', 200, { projectId: randomUUID() })).errors).toBeUndefined();
    expect((await use('COSTS', 250)).errors).toBeUndefined();
    const tooMuch = await use('COSTS', 151);
    expect(errorFields(tooMuch)).toEqual(['amountCents']);
    expect(errorFields(await use('PROJECT', 10))).toEqual(['projectId']);
    expect((await use('REWARDS', 10)).errors).toBeUndefined();
    const byStaff = await suite.run(
      USE,
      {
        input: {
          circuitId: circuit.id,
          kind: 'REWARDS',
          amountCents: 1,
          description: 'Premi',
          clientKey: `k-${randomUUID()}`,
        },
      },
      STAFF,
    );
    expect(errorCode(byStaff)).toBe('FORBIDDEN');

    const figures = await suite.run(TRANSPARENCY, { code: circuit.code }, ANONYMOUS);
    expect(figures.data?.iesTransparency).toMatchObject({
      reserveCents: 4_750,
      issuedCents: 5_000,
      redeemedCents: 250,
      circulationCents: 4_750,
      feesCollectedCents: 900,
      feesUsedCents: 760,
      feesBalanceCents: 140,
    });
    const uses = (figures.data?.iesTransparency as { feeUses: { kind: string }[] }).feeUses;
    expect(uses.map((u) => u.kind).sort()).toEqual(['COSTS', 'PROJECT', 'REWARDS', 'REWARDS']);
    expect(await balance(accountCodes.rewards(circuit.id))).toBe(310);
    await expectSound(em);
  });
});
