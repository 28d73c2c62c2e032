import { randomUUID } from 'node:crypto';
import { citizen, type Suite } from '@welfare/kit/test-suite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { book } from '../src/modules/ledger/ledger.js';
import { paymentIds } from '../src/modules/payment/payment.service.js';
import type { Services } from '../src/services.js';
import { randomFiscalCode, seedCircuit, seedMember } from './fixtures.js';
import { ANONYMOUS, ORG_A, errorCode, errorFields, member, setupSuite } from './helpers.js';

let suite: Suite<Services>;
const hookCalls: string[] = [];

beforeAll(async () => {
  suite = await setupSuite('payment');
  suite.services.afterPayment.push(async (tx, payment) => {
    // Runs inside the payment's transaction: sees its own transfer, not yet committed.
    const [t] = await book.transfersById(tx, [paymentIds.transfer(payment.id)]);
    expect(t?.code).toBe('PAYMENT');
    hookCalls.push(payment.idempotencyKey);
  });
});
afterAll(() => suite.close());

const CREATE = /* GraphQL */ `
  mutation ($input: IesPaymentRequestInput!) {
    createIesPaymentRequest(input: $input) {
      id
      payPath
      payeeName
      amountCents
      description
      status
      own
      fee {
        feeCents
        payer
        debitedCents
        receivedCents
      }
    }
  }
`;
const REQUEST = /* GraphQL */ `
  query ($id: ID!, $amountCents: Int) {
    iesPaymentRequest(id: $id, amountCents: $amountCents) {
      id
      payeeName
      amountCents
      description
      status
      expired
      own
      fee {
        feeCents
        payer
        debitedCents
        receivedCents
      }
    }
  }
`;
const PAY = /* GraphQL */ `
  mutation ($input: IesPayInput!) {
    payIesPaymentRequest(input: $input) {
      id
      idempotencyKey
      payerName
      payeeName
      amountCents
      feeCents
      feePayer
      debitedCents
      receivedCents
    }
  }
`;
const PAYMENT = /* GraphQL */ `
  query ($key: ID!) {
    iesPayment(idempotencyKey: $key) {
      id
      amountCents
      feeCents
      payerName
      payeeName
    }
  }
`;
const MINE = /* GraphQL */ `
  query ($code: String!, $org: ID) {
    myIesPayments(circuitCode: $code, organisationId: $org) {
      id
      amountCents
      payerName
      payeeName
    }
  }
`;

type Data = Record<string, Record<string, unknown> | null>;

/** A citizen caller for a member's codice fiscale. */
const asCitizen = (fiscalCode: string) => ({ ...citizen(), fiscalCode });

async function balance(accountId: string): Promise<number> {
  const [a] = await book.accounts(suite.orm.em.fork(), { ids: [accountId] });
  return (a?.creditsPosted ?? 0) - (a?.debitsPosted ?? 0) - (a?.debitsPending ?? 0);
}

/** A circuit with a shop (org ORG_A-like, its owner) and a citizen holding `cents`. */
async function world(rules: Record<string, unknown> = {}, cents = 5_000) {
  const em = suite.orm.em.fork();
  const { circuit, accounts } = await seedCircuit(em, ORG_A, rules);
  const shopOrg = randomUUID();
  const shop = await seedMember(em, circuit.id, {
    kind: 'BUSINESS',
    organisationId: shopOrg,
    displayName: 'Bottega Rosa',
  });
  const fiscalCode = randomFiscalCode();
  const payer = await seedMember(em, circuit.id, {
    fiscalCode,
    displayName: 'Pina Pagante',
    issuedCents: cents,
  });
  const owner = member(shopOrg, 'MERCHANT', 'OWNER');
  const buyer = asCitizen(fiscalCode);
  return { circuit, accounts, shop, shopOrg, owner, payer, buyer };
}

async function createRequest(
  w: Awaited<ReturnType<typeof world>>,
  amountCents: number | null,
  extra: Record<string, unknown> = {},
) {
  const r = await suite.run<Data>(
    CREATE,
    {
      input: {
        circuitCode: w.circuit.code,
        amountCents,
        description: 'Spesa',
        organisationId: w.shopOrg,
        ...extra,
      },
    },
    w.owner,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.createIesPaymentRequest as { id: string; payPath: string };
}

describe('paying by QR code', () => {
  it('a shop asks 20 IES; the payer sees the fee, pays it on top; fees and balances add up', async () => {
    const w = await world();
    const created = await createRequest(w, 2_000);
    expect(created.payPath).toBe(`/ies/${w.circuit.code}/paga/${created.id}`);
    const seen = await suite.run<Data>(REQUEST, { id: created.id }, w.buyer);
    expect(seen.data?.iesPaymentRequest).toMatchObject({
      payeeName: 'Bottega Rosa',
      amountCents: 2_000,
      status: 'OPEN',
      own: false,
      fee: { feeCents: 25, payer: 'PAYER', debitedCents: 2_025, receivedCents: 2_000 },
    });
    const key = randomUUID();
    const paid = await suite.run<Data>(
      PAY,
      { input: { requestId: created.id, idempotencyKey: key } },
      w.buyer,
    );
    expect(paid.errors).toBeUndefined();
    expect(paid.data?.payIesPaymentRequest).toMatchObject({
      idempotencyKey: key,
      payerName: 'Pina Pagante',
      payeeName: 'Bottega Rosa',
      amountCents: 2_000,
      feeCents: 25,
      debitedCents: 2_025,
    });
    expect(await balance(w.payer.walletId)).toBe(5_000 - 2_025);
    expect(await balance(w.shop.walletId)).toBe(2_000);
    expect(await balance(w.accounts.fees)).toBe(25);
    expect(hookCalls).toContain(key);
    // Paid once: the request is PAID, a second payer is refused.
    const again = await suite.run<Data>(REQUEST, { id: created.id }, w.buyer);
    expect(again.data?.iesPaymentRequest?.status).toBe('PAID');
    const other = await seedMember(suite.orm.em.fork(), w.circuit.id, { issuedCents: 5_000 });
    const second = await suite.run(
      PAY,
      { input: { requestId: created.id, idempotencyKey: randomUUID() } },
      asCitizen(other.member.fiscalCode!),
    );
    expect(errorCode(second)).toBe('CONFLICT');
    expect(await balance(other.walletId)).toBe(5_000);
    expect((await book.checkInvariants(suite.orm.em.fork())).problems).toEqual([]);
  });

  it('round trips: two statements before the transaction, none after it (a known payer)', async () => {
    const w = await world({}, 10_000);
    const pay = async () => {
      const created = await createRequest(w, 100);
      const connection = suite.orm.em.getConnection();
      const spy = vi.spyOn(connection, 'execute');
      try {
        const r = await suite.run<Data>(
          PAY,
          { input: { requestId: created.id, idempotencyKey: randomUUID() } },
          w.buyer,
        );
        expect(r.errors).toBeUndefined();
        return spy.mock.calls.map((c) => (typeof c[0] === 'string' ? c[0] : JSON.stringify(c[0])));
      } finally {
        spy.mockRestore();
      }
    };
    const inserted = (sql: string[]) =>
      sql.findIndex((s) => /insert into "ies_circuit"\."payment"/.test(s));
    // The first payment of a member opens (reads) its wallet's id once.
    const first = await pay();
    expect(inserted(first)).toBeGreaterThan(0);
    // Then: the request with its circuit, payee and recorded key; the payer. Nothing read back.
    const second = await pay();
    const before = second.slice(0, inserted(second)).filter((s) => !/^set local /.test(s));
    expect(before).toHaveLength(2);
    expect(before[0]).toMatch(/to_jsonb\(r\)/);
    // The answer is built from what is known: the payment is not read back by its key.
    const after = second.slice(inserted(second) + 1);
    expect(after.some((s) => /p\.idempotency_key = \?/.test(s))).toBe(false);
  });

  it('the payee pays the fee: the payer sends the amount, the shop receives it less the fee', async () => {
    const w = await world({ feePayer: 'PAYEE' });
    const created = await createRequest(w, null);
    const quote = await suite.run<Data>(REQUEST, { id: created.id, amountCents: 1_000 }, w.buyer);
    expect(quote.data?.iesPaymentRequest?.fee).toEqual({
      feeCents: 15,
      payer: 'PAYEE',
      debitedCents: 1_000,
      receivedCents: 985,
    });
    const paid = await suite.run<Data>(
      PAY,
      { input: { requestId: created.id, amountCents: 1_000, idempotencyKey: randomUUID() } },
      w.buyer,
    );
    expect(paid.data?.payIesPaymentRequest).toMatchObject({ feeCents: 15, receivedCents: 985 });
    expect(await balance(w.payer.walletId)).toBe(4_000);
    expect(await balance(w.shop.walletId)).toBe(985);
    expect(await balance(w.accounts.fees)).toBe(15);
    // A request without an amount is paid any number of times.
    const twice = await suite.run<Data>(
      PAY,
      { input: { requestId: created.id, amountCents: 500, idempotencyKey: randomUUID() } },
      w.buyer,
    );
    expect(twice.errors).toBeUndefined();
    expect(await balance(w.shop.walletId)).toBe(985 + 490);
  });

  it('a retry with the same key pays once and returns the same payment; the key answers an unknown outcome', async () => {
    const w = await world();
    const created = await createRequest(w, null);
    const key = randomUUID();
    const input = { requestId: created.id, amountCents: 700, idempotencyKey: key };
    const unknown = await suite.run<Data>(PAYMENT, { key }, w.buyer);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data?.iesPayment).toBeNull();
    const [a, b, c] = await Promise.all([
      suite.run<Data>(PAY, { input }, w.buyer),
      suite.run<Data>(PAY, { input }, w.buyer),
      suite.run<Data>(PAY, { input }, w.buyer),
    ]);
    expect([a.errors, b.errors, c.errors]).toEqual([undefined, undefined, undefined]);
    expect(b.data?.payIesPaymentRequest).toEqual(a.data?.payIesPaymentRequest);
    expect(c.data?.payIesPaymentRequest).toEqual(a.data?.payIesPaymentRequest);
    expect(await balance(w.payer.walletId)).toBe(5_000 - 700 - 12);
    expect(hookCalls.filter((k) => k === key)).toHaveLength(1);
    const known = await suite.run<Data>(PAYMENT, { key }, w.buyer);
    expect(known.data?.iesPayment).toMatchObject({ amountCents: 700, feeCents: 12 });
    const forShop = await suite.run<Data>(PAYMENT, { key }, w.owner);
    expect(forShop.data?.iesPayment).toMatchObject({ amountCents: 700 });
    // The same key for another amount is not the same payment.
    const reused = await suite.run(PAY, { input: { ...input, amountCents: 800 } }, w.buyer);
    expect(errorCode(reused)).toBe('CONFLICT');
    expect(await balance(w.payer.walletId)).toBe(5_000 - 712);
  });

  it('tenancy: only the payer and the payee see a payment; a request shows only name and amount', async () => {
    const w = await world();
    const created = await createRequest(w, 300);
    const key = randomUUID();
    await suite.run(PAY, { input: { requestId: created.id, idempotencyKey: key } }, w.buyer);
    const stranger = asCitizen(randomFiscalCode());
    expect((await suite.run<Data>(PAYMENT, { key }, stranger)).data?.iesPayment).toBeNull();
    const otherShop = member(randomUUID(), 'MERCHANT', 'OWNER');
    expect((await suite.run<Data>(PAYMENT, { key }, otherShop)).data?.iesPayment).toBeNull();
    const manager = member(ORG_A, 'COMUNE', 'MANAGER');
    expect((await suite.run<Data>(PAYMENT, { key }, manager)).data?.iesPayment).toBeNull();
    expect(errorCode(await suite.run(PAYMENT, { key }, ANONYMOUS))).toBe('UNAUTHENTICATED');
    expect(errorCode(await suite.run(REQUEST, { id: created.id }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    // Anyone logged in with the id reads the request.
    const read = await suite.run<Data>(REQUEST, { id: created.id }, stranger);
    expect(read.data?.iesPaymentRequest).toMatchObject({ payeeName: 'Bottega Rosa', own: false });
    // Lists: the payer's and the shop's own; a stranger is no member.
    const mine = await suite.run<Data>(MINE, { code: w.circuit.code }, w.buyer);
    expect((mine.data?.myIesPayments as unknown as unknown[]).length).toBe(1);
    const shops = await suite.run<Data>(MINE, { code: w.circuit.code, org: w.shopOrg }, w.owner);
    expect((shops.data?.myIesPayments as unknown as unknown[]).length).toBe(1);
    expect(errorCode(await suite.run(MINE, { code: w.circuit.code }, stranger))).toBe('FORBIDDEN');
    expect(
      errorCode(await suite.run(MINE, { code: w.circuit.code, org: w.shopOrg }, otherShop)),
    ).toBe('FORBIDDEN');
    // A shop owner cannot ask in the name of another organisation.
    const asOther = await suite.run(
      CREATE,
      { input: { circuitCode: w.circuit.code, description: 'x', organisationId: w.shopOrg } },
      otherShop,
    );
    expect(errorCode(asOther)).toBe('FORBIDDEN');
  });

  it('bad input, oneself, non-members, suspended members and an insufficient balance write nothing', async () => {
    const w = await world({}, 1_000);
    const created = await createRequest(w, null);
    const before = await suite.count('payment');
    const bad = await suite.run(
      CREATE,
      {
        input: {
          circuitCode: w.circuit.code,
          amountCents: 0,
          description: '  ',
          expiresInMinutes: 0,
          organisationId: w.shopOrg,
        },
      },
      w.owner,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(errorFields(bad).sort()).toEqual(['amountCents', 'description', 'expiresInMinutes']);
    const badPay = await suite.run(
      PAY,
      { input: { requestId: 'nope', idempotencyKey: 'nope', amountCents: -1 } },
      w.buyer,
    );
    expect(errorFields(badPay).sort()).toEqual(['amountCents', 'idempotencyKey', 'requestId']);
    const noAmount = await suite.run(
      PAY,
      { input: { requestId: created.id, idempotencyKey: randomUUID() } },
      w.buyer,
    );
    expect(errorFields(noAmount)).toEqual(['amountCents']);
    const tooMuch = await suite.run<Data>(
      PAY,
      { input: { requestId: created.id, amountCents: 990, idempotencyKey: randomUUID() } },
      w.buyer,
    );
    expect(errorCode(tooMuch)).toBe('CONFLICT');
    expect(tooMuch.errors?.[0]?.message).toMatch(/Insufficient IES balance/);
    // The payee's own request.
    const own = await suite.run(
      PAY,
      {
        input: {
          requestId: created.id,
          amountCents: 10,
          idempotencyKey: randomUUID(),
          organisationId: w.shopOrg,
        },
      },
      w.owner,
    );
    expect(errorFields(own)).toEqual(['requestId']);
    // Not a member; suspended.
    const outsider = await suite.run(
      PAY,
      { input: { requestId: created.id, amountCents: 10, idempotencyKey: randomUUID() } },
      asCitizen(randomFiscalCode()),
    );
    expect(errorCode(outsider)).toBe('FORBIDDEN');
    await suite.sql(
      `update ies_circuit.member set status = 'SUSPENDED', decision_reason = 'prova' where id = ?`,
      [w.payer.member.id],
    );
    const suspended = await suite.run(
      PAY,
      { input: { requestId: created.id, amountCents: 10, idempotencyKey: randomUUID() } },
      w.buyer,
    );
    expect(errorCode(suspended)).toBe('FORBIDDEN');
    expect(await suite.count('payment')).toBe(before);
    expect(await balance(w.payer.walletId)).toBe(1_000);
    expect(await balance(w.accounts.fees)).toBe(0);
    // An expired request.
    const shortLived = await createRequest(w, 100, { expiresInMinutes: 1 });
    await suite.sql(
      `update ies_circuit.payment_request set expires_at = now() - interval '1 second' where id = ?`,
      [shortLived.id],
    );
    const other = await seedMember(suite.orm.em.fork(), w.circuit.id, { issuedCents: 500 });
    const late = await suite.run(
      PAY,
      { input: { requestId: shortLived.id, idempotencyKey: randomUUID() } },
      asCitizen(other.member.fiscalCode!),
    );
    expect(errorCode(late)).toBe('CONFLICT');
    expect(await suite.count('payment')).toBe(before);
  });
});
