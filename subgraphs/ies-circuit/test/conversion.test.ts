import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import { sepaProfileProblems } from '@welfare/kit/sepa';
import { book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { seedCircuit, seedMember } from './fixtures.js';
import { ANONYMOUS, ORG_A, ORG_B, errorCode, errorFields, member, setupSuite } from './helpers.js';
import { expectSound } from './reserve-helpers.js';

let suite: Suite<Services>;

beforeAll(async () => {
  suite = await setupSuite('conversion');
});
afterAll(() => suite.close());

const MANAGER = member(ORG_A, 'COMUNE', 'MANAGER');
const OPERATOR = member(ORG_A, 'COMUNE', 'OPERATOR');
const OTHER_MANAGER = member(ORG_B, 'COMUNE', 'MANAGER');

const REQUEST = /* GraphQL */ `
  mutation ($input: IesConversionRequestInput!) {
    requestIesConversion(input: $input) {
      id
      status
      amountCents
      feeCents
      netCents
    }
  }
`;
const APPROVE = `mutation ($id: ID!) { approveIesConversion(id: $id) { id status } }`;
const REJECT = `mutation ($id: ID!, $reason: String!) { rejectIesConversion(id: $id, reason: $reason) { id status reason } }`;
const SEPA = `mutation ($c: ID!, $ids: [ID!]) { exportIesConversionsSepa(circuitId: $c, conversionIds: $ids) { fileName content count totalCents } }`;

/** A circuit (conversion fee 2%, at least 0,50) and a shop holding `cents` of IES. */
async function shopWith(cents: number) {
  const em = suite.orm.em.fork();
  const { circuit, accounts } = await seedCircuit(em, ORG_A);
  const shopOrg = randomUUID();
  const shop = await seedMember(em, circuit.id, {
    kind: 'BUSINESS',
    organisationId: shopOrg,
    issuedCents: cents,
  });
  const owner = member(shopOrg, 'MERCHANT', 'OWNER');
  const request = (amountCents: number, clientKey = `conv-${randomUUID()}`) =>
    suite.run(
      REQUEST,
      { input: { circuitId: circuit.id, organisationId: shopOrg, amountCents, clientKey } },
      owner,
    );
  return { em, circuit, accounts, shop, shopOrg, owner, request };
}

async function available(accountId: string): Promise<number> {
  const [account] = await book.accounts(suite.orm.em.fork(), { ids: [accountId] });
  return account?.available ?? 0;
}

describe('conversions to euro', () => {
  it('hold the amount less the fee; approval destroys the IES (the reserve shrinks) and pays the fee', async () => {
    const { em, circuit, accounts, shop, request } = await shopWith(10_000);
    const asked = await request(5_000);
    expect(asked.errors).toBeUndefined();
    const conversion = asked.data?.requestIesConversion as { id: string; feeCents: number };
    expect(asked.data?.requestIesConversion).toMatchObject({
      status: 'PENDING',
      amountCents: 5_000,
      feeCents: 100,
      netCents: 4_900,
    });
    expect(await available(shop.walletId)).toBe(5_000);
    await expectSound(em);

    expect(errorCode(await suite.run(APPROVE, { id: conversion.id }, OTHER_MANAGER))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await suite.run(APPROVE, { id: conversion.id }, OPERATOR))).toBe('FORBIDDEN');
    const approved = await suite.run(APPROVE, { id: conversion.id }, MANAGER);
    expect(approved.data?.approveIesConversion).toMatchObject({ status: 'APPROVED' });
    const again = await suite.run(APPROVE, { id: conversion.id }, MANAGER);
    expect(again.data?.approveIesConversion).toMatchObject({ status: 'APPROVED' });
    expect(
      errorCode(await suite.run(REJECT, { id: conversion.id, reason: 'Troppo tardi' }, MANAGER)),
    ).toBe('CONFLICT');

    const [totals] = await book.reserveTotals(em, [accounts.issuer]);
    expect(totals).toMatchObject({ reserve: 5_100, circulation: 5_100 });
    const [fees] = await book.accounts(em, { ids: [accounts.fees] });
    expect(fees?.posted).toBe(100);
    expect(await available(shop.walletId)).toBe(5_000);

    const sepa = await suite.run(SEPA, { c: circuit.id, ids: [conversion.id] }, MANAGER);
    expect(sepa.errors).toBeUndefined();
    const file = sepa.data?.exportIesConversionsSepa as {
      content: string;
      count: number;
      totalCents: number;
    };
    expect(file).toMatchObject({ count: 1, totalCents: 4_900 });
    expect(file.content).toContain('<InstdAmt Ccy="EUR">49.00</InstdAmt>');
    expect(file.content).toContain('IT14G0503643600000000456789');
    expect(sepaProfileProblems(file.content)).toEqual([]);
    expect(errorCode(await suite.run(SEPA, { c: circuit.id, ids: [] }, OTHER_MANAGER))).toBe(
      'FORBIDDEN',
    );
    await expectSound(em);
  });

  it('rejected, give the IES and the fee back; a pending one is not in a SEPA file', async () => {
    const { em, circuit, shop, request } = await shopWith(3_000);
    const asked = await request(3_000);
    const id = (asked.data?.requestIesConversion as { id: string }).id;
    expect(await available(shop.walletId)).toBe(0);
    const sepa = await suite.run(SEPA, { c: circuit.id, ids: [id] }, MANAGER);
    expect(errorFields(sepa)).toEqual(['conversionIds']);
    expect(errorFields(await suite.run(REJECT, { id, reason: '' }, MANAGER))).toEqual(['reason']);
    const rejected = await suite.run(REJECT, { id, reason: 'IBAN da verificare' }, MANAGER);
    expect(rejected.data?.rejectIesConversion).toMatchObject({
      status: 'REJECTED',
      reason: 'IBAN da verificare',
    });
    expect(await available(shop.walletId)).toBe(3_000);
    expect(errorCode(await suite.run(APPROVE, { id }, MANAGER))).toBe('CONFLICT');
    await expectSound(em);
  });

  it('refuse bad amounts field by field, once per key, and write nothing', async () => {
    const { em, shop, request } = await shopWith(1_000);
    expect(errorFields(await request(0))).toEqual(['amountCents']);
    expect(errorFields(await request(50))).toEqual(['amountCents']); // not above the 0,50 minimum fee
    expect(errorFields(await request(1_001))).toEqual(['amountCents']); // more than the wallet
    expect(errorFields(await request(500, 'bad key!'))).toEqual(['clientKey']);
    expect(await available(shop.walletId)).toBe(1_000);
    const key = `same-${randomUUID()}`;
    const first = await request(600, key);
    const second = await request(600, key);
    expect(second.data?.requestIesConversion).toEqual(first.data?.requestIesConversion);
    expect(errorCode(await request(700, key))).toBe('CONFLICT');
    expect(await available(shop.walletId)).toBe(400);
    await expectSound(em);
  });

  it('are an organisation’s own: another business, a citizen, anonymous are refused', async () => {
    const { em, circuit, shopOrg, shop } = await shopWith(2_000);
    const other = await seedMember(em, circuit.id, { kind: 'BUSINESS', issuedCents: 100 });
    const input = {
      circuitId: circuit.id,
      organisationId: shopOrg,
      amountCents: 1_000,
      clientKey: `x-${randomUUID()}`,
    };
    const otherOwner = member(other.member.organisationId!, 'MERCHANT', 'OWNER');
    expect(errorCode(await suite.run(REQUEST, { input }, otherOwner))).toBe('FORBIDDEN');
    expect(
      errorCode(await suite.run(REQUEST, { input }, member(shopOrg, 'MERCHANT', 'CASHIER'))),
    ).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(REQUEST, { input }, MANAGER))).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(REQUEST, { input }, ANONYMOUS))).toBe('UNAUTHENTICATED');
    const list = await suite.run(
      `query ($o: ID!) { iesOrganisationConversions(organisationId: $o) { id } }`,
      { o: shopOrg },
      otherOwner,
    );
    expect(errorCode(list)).toBe('FORBIDDEN');
    const circuitList = await suite.run(
      `query ($c: ID!) { iesCircuitConversions(circuitId: $c) { id } }`,
      { c: circuit.id },
      OTHER_MANAGER,
    );
    expect(errorCode(circuitList)).toBe('FORBIDDEN');
    expect(await available(shop.walletId)).toBe(2_000);
  });

  it('keep reserve = circulation under concurrent conversions and payments', async () => {
    const { em, circuit, accounts, shop, request } = await shopWith(20_000);
    const customer = await seedMember(em, circuit.id, { issuedCents: 20_000 });
    const asked = await Promise.all(Array.from({ length: 8 }, () => request(1_500)));
    for (const a of asked) expect(a.errors).toBeUndefined();
    const ids = asked.map((a) => (a.data?.requestIesConversion as { id: string }).id);
    await Promise.all([
      ...ids.map((id, i) =>
        i % 2 === 0
          ? suite.run(APPROVE, { id }, MANAGER)
          : suite.run(REJECT, { id, reason: 'Non ora' }, MANAGER),
      ),
      ...Array.from({ length: 8 }, () =>
        book.transfer(suite.orm.em.fork(), {
          id: randomUUID(),
          debit: customer.walletId,
          credit: shop.walletId,
          amount: 250,
          code: 'PAYMENT',
        }),
      ),
    ]);
    const [totals] = await book.reserveTotals(em, [accounts.issuer]);
    // 40,000 issued, 4 conversions of 1,450 net (the fee at its 0,50 minimum) destroyed.
    expect(totals).toMatchObject({ reserve: 40_000 - 4 * 1_450, circulation: 40_000 - 4 * 1_450 });
    expect(await available(shop.walletId)).toBe(20_000 - 4 * 1_500 + 8 * 250);
    const all = await suite.run(SEPA, { c: circuit.id, ids: [] }, MANAGER);
    expect(all.data?.exportIesConversionsSepa).toMatchObject({ count: 4, totalCents: 4 * 1_450 });
    await expectSound(em);
  });
});
