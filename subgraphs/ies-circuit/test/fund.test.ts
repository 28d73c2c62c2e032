import { randomUUID } from 'node:crypto';
import { createLogger } from '@welfare/kit';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { httpRequest } from '@welfare/kit/client';
import {
  FUND_PATHS,
  fundLeg,
  fundRoutes,
  type HoldRequest,
  type QuoteRequest,
  quoteResponse,
} from '@welfare/kit/contracts';
import { ServiceClient, ServiceRefusal } from '@welfare/kit/service';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import type { Suite } from '@welfare/kit/test-suite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Circuit } from '../src/modules/circuit/circuit.entity.js';
import { spendableWith } from '../src/modules/fund/fund.service.js';
import { book, type CircuitAccounts } from '../src/modules/ledger/ledger.js';
import { Member } from '../src/modules/member/member.entity.js';
import { buildIesCircuitSchema } from '../src/schema.js';
import type { Services } from '../src/services.js';
import { randomFiscalCode, seedCircuit, seedMember } from './fixtures.js';
import { ANONYMOUS, ORG_A, ORG_B, setupSuite } from './helpers.js';

/*
 * The IES circuit as a fund owner (payments' checkout pays a catalogue service with IES): the
 * quote's rule (the payer's ACTIVE membership, the provider an ACTIVE member accepting IES, the
 * fee counted in what can be spent), hold/capture/release/refund with the circuit's fee and their
 * refusals, idempotency by leg, concurrent holds on one wallet, service tokens of payments only;
 * `Offer.acceptsIes` with the same rule for the provider.
 */

let suite: Suite<Services>;
let server: RunningSubgraph;
let payments: ServiceClient;
let identity: ServiceClient;
let gatewaySign: Awaited<ReturnType<typeof createTokenSigner>>;
const em = () => suite.orm.em.fork();

const PROVIDER = ORG_A; // a cooperative that accepts IES
const NOT_ACCEPTING = ORG_B; // an association member that does not accept IES
const OUTSIDER = randomUUID(); // a provider in no circuit
const MARIO_CF = randomFiscalCode();
const SARA_CF = randomFiscalCode(); // a member of another circuit only
const PENDING_CF = randomFiscalCode(); // a PENDING (not active) member
const CREDIT = 5_000;
let circuit: Circuit;
let accounts: CircuitAccounts;
let otherCircuit: Circuit;
let marioWallet: string;
let providerWallet: string;

const offer = (over: Partial<QuoteRequest['offer']> = {}): QuoteRequest['offer'] => ({
  payableRef: `offer-booking:${randomUUID()}`,
  offerId: randomUUID(),
  comuneId: randomUUID(),
  providerId: PROVIDER,
  category: 'CHILDCARE',
  providerAccredited: true,
  ...over,
});
const person = (fiscalCode?: string) => ({
  personId: randomUUID(),
  ...(fiscalCode ? { fiscalCode } : {}),
});
const mario = person(MARIO_CF);

const quote = (request: Partial<QuoteRequest> = {}) =>
  payments.call(
    FUND_PATHS.quote,
    { person: mario, offer: offer(), amountCents: 1_000, ...request },
    quoteResponse,
  );

function holdOf(over: Partial<HoldRequest> = {}): HoldRequest {
  return {
    legId: randomUUID(),
    checkoutId: randomUUID(),
    fundId: circuit.id,
    person: mario,
    offer: offer(),
    amountCents: 1_000,
    expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    ...over,
  };
}
const hold = (request: HoldRequest) => payments.call(FUND_PATHS.hold, request, fundLeg);
const capture = (legId: string) => payments.call(FUND_PATHS.capture, { legId }, fundLeg);
const release = (legId: string) => payments.call(FUND_PATHS.release, { legId }, fundLeg);
const legState = (legId: string) => payments.call(FUND_PATHS.leg, { legId }, fundLeg);
const refund = (legId: string, refundId: string, amountCents: number) =>
  payments.call(FUND_PATHS.refund, { legId, refundId, amountCents }, fundLeg);

async function refusal(call: Promise<unknown>): Promise<ServiceRefusal> {
  const outcome = await call.then(
    (answer) => ({ answer }),
    (err: unknown) => ({ err }),
  );
  if (!('err' in outcome)) throw new Error(`answered ${JSON.stringify(outcome.answer)}`);
  expect(outcome.err).toBeInstanceOf(ServiceRefusal);
  return outcome.err as ServiceRefusal;
}

/** An account's available and posted balances (0 before it exists). */
async function balance(accountId: string): Promise<{ available: number; posted: number }> {
  const [account] = await book.accounts(em(), { ids: [accountId] });
  return { available: account?.available ?? 0, posted: account?.posted ?? 0 };
}

async function expectBookBalanced(): Promise<void> {
  expect((await book.checkInvariants(em())).problems).toEqual([]);
}

beforeAll(async () => {
  suite = await setupSuite('fund');
  const keys = {
    payments: await generateGatewayKeys(),
    identity: await generateGatewayKeys(),
    gateway: await generateGatewayKeys(),
  };
  gatewaySign = await createTokenSigner(keys.gateway.privateKey);
  server = await startSubgraph({
    name: 'ies-circuit',
    schema: await buildIesCircuitSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.gateway.publicKey,
    logger: createLogger('ies-circuit-test', 'silent'),
    internal: {
      publicKeys: { payments: keys.payments.publicKey, identity: keys.identity.publicKey },
      routes: fundRoutes({ orm: suite.orm, funds: suite.services.funds }),
    },
  });
  const client = (service: 'payments' | 'identity') =>
    new ServiceClient({
      service,
      privateKey: keys[service].privateKey,
      audience: 'ies-circuit',
      baseUrl: server.url,
    });
  payments = client('payments');
  identity = client('identity');

  const e = em();
  ({ circuit, accounts } = await seedCircuit(e, randomUUID()));
  ({ circuit: otherCircuit } = await seedCircuit(e, randomUUID()));
  ({ walletId: marioWallet } = await seedMember(e, circuit.id, {
    fiscalCode: MARIO_CF,
    issuedCents: CREDIT,
  }));
  ({ walletId: providerWallet } = await seedMember(e, circuit.id, {
    kind: 'COOPERATIVE',
    organisationId: PROVIDER,
    acceptsIes: true,
  }));
  await seedMember(e, circuit.id, {
    kind: 'ASSOCIATION',
    organisationId: NOT_ACCEPTING,
    acceptsIes: false,
  });
  await seedMember(e, otherCircuit.id, { fiscalCode: SARA_CF, issuedCents: CREDIT });
  const pending = await seedMember(e, circuit.id, { fiscalCode: PENDING_CF, issuedCents: CREDIT });
  await e.nativeUpdate(Member, { id: pending.member.id }, { status: 'PENDING' });
});

afterAll(async () => {
  await server?.stop();
  await suite?.close();
});

describe('quote', () => {
  it('offers the wallet of the circuit where the provider accepts IES, the fee counted', async () => {
    const { options } = await quote({ amountCents: 1_000 });
    expect(options).toEqual([
      expect.objectContaining({
        fundId: circuit.id,
        kind: 'IES',
        label: { it: `IES – ${circuit.name}`, en: `IES – ${circuit.name}` },
        balanceCents: CREDIT,
        spendableCents: 1_000,
        restricted: false,
      }),
    ]);
    // 50 €: the wallet (50 €) pays at most x with x + 5 cents + 1% ≤ 50 €: 49,46 € (+ 0,54 €).
    const big = await quote({ amountCents: 10_000 });
    expect(big.options[0]!.spendableCents).toBe(4_946);
    expect(4_946 + 5 + 49).toBe(CREDIT);
  });

  it('offers nothing when the provider does not accept IES, is in no circuit, or the person is no active member', async () => {
    expect((await quote({ offer: offer({ providerId: NOT_ACCEPTING }) })).options).toEqual([]);
    expect((await quote({ offer: offer({ providerId: OUTSIDER }) })).options).toEqual([]);
    expect((await quote({ person: person(SARA_CF) })).options).toEqual([]);
    expect((await quote({ person: person(PENDING_CF) })).options).toEqual([]);
    expect((await quote({ person: person() })).options).toEqual([]);
  });

  it('counts the fee exactly in what can be spent (any balance)', () => {
    for (const available of [0, 1, 5, 6, 100, 1_234, 9_999, 20_000, 123_456]) {
      const x = spendableWith(circuit, available, 1_000_000);
      const fee = (n: number) => Math.min(5 + Math.floor((n * 100 + 5_000) / 10_000), 100);
      if (x > 0) expect(x + fee(x)).toBeLessThanOrEqual(available);
      expect(x + 1 + fee(x + 1)).toBeGreaterThan(available);
    }
  });
});

describe('hold, capture, release, refund', () => {
  it('holds the price and the payer’s fee, captures both to the provider and the fees account', async () => {
    const before = await balance(marioWallet);
    const feesBefore = await balance(accounts.fees);
    const providerBefore = await balance(providerWallet);
    const request = holdOf({ amountCents: 1_000 });
    const held = await hold(request);
    expect(held).toMatchObject({ legId: request.legId, status: 'HELD', amountCents: 1_000 });
    // 10 € + 5 cents + 1% = 10,15 € held.
    expect((await balance(marioWallet)).available).toBe(before.available - 1_015);
    expect((await balance(marioWallet)).posted).toBe(before.posted);
    // Idempotent by leg: the same hold again holds nothing more.
    expect(await hold(request)).toEqual(held);
    expect((await balance(marioWallet)).available).toBe(before.available - 1_015);

    const captured = await capture(request.legId);
    expect(captured.status).toBe('CAPTURED');
    expect(await capture(request.legId)).toEqual(captured);
    expect((await balance(marioWallet)).posted).toBe(before.posted - 1_015);
    expect((await balance(providerWallet)).posted).toBe(providerBefore.posted + 1_000);
    expect((await balance(accounts.fees)).posted).toBe(feesBefore.posted + 15);

    // Refunds give back the price (not the fee), idempotent, never beyond the capture.
    expect((await refund(request.legId, randomUUID(), 400)).refundedCents).toBe(400);
    const refundId = randomUUID();
    expect((await refund(request.legId, refundId, 600)).refundedCents).toBe(1_000);
    expect((await refund(request.legId, refundId, 600)).refundedCents).toBe(1_000);
    expect(await refusal(refund(request.legId, randomUUID(), 1))).toMatchObject({
      reason: 'REFUND_EXCEEDS_CAPTURE',
    });
    expect(await refusal(refund(request.legId, refundId, 500))).toMatchObject({
      reason: 'LEG_CONFLICT',
    });
    expect((await balance(marioWallet)).posted).toBe(before.posted - 15);
    await expectBookBalanced();
  });

  it('releases a hold and its fee (idempotent); a released leg cannot be captured', async () => {
    const before = await balance(marioWallet);
    const request = holdOf({ amountCents: 700 });
    await hold(request);
    expect((await release(request.legId)).status).toBe('RELEASED');
    expect((await release(request.legId)).status).toBe('RELEASED');
    expect((await balance(marioWallet)).available).toBe(before.available);
    expect(await refusal(capture(request.legId))).toMatchObject({ reason: 'HOLD_NOT_PENDING' });
    expect((await release(randomUUID())).status).toBe('UNKNOWN');
    expect((await legState(randomUUID())).status).toBe('UNKNOWN');
    await expectBookBalanced();
  });

  it('refuses what the wallet cannot pay, the same leg with other terms, and a fund that does not cover', async () => {
    const before = await balance(marioWallet);
    expect(await refusal(hold(holdOf({ amountCents: before.available })))).toMatchObject({
      reason: 'INSUFFICIENT_FUNDS',
    });
    const request = holdOf({ amountCents: 300 });
    await hold(request);
    expect(await refusal(hold({ ...request, amountCents: 301 }))).toMatchObject({
      reason: 'LEG_CONFLICT',
    });
    expect(
      await refusal(hold(holdOf({ offer: offer({ providerId: NOT_ACCEPTING }) }))),
    ).toMatchObject({ reason: 'NOT_COVERED' });
    expect(await refusal(hold(holdOf({ fundId: otherCircuit.id })))).toMatchObject({
      reason: 'NOT_COVERED',
    });
    // Sara (another circuit's member) cannot spend in this one.
    expect(await refusal(hold(holdOf({ person: person(SARA_CF) })))).toMatchObject({
      reason: 'NOT_COVERED',
    });
    await release(request.legId);
    expect((await balance(marioWallet)).available).toBe(before.available);
    await expectBookBalanced();
  });

  it('never overdraws the wallet under concurrent holds', async () => {
    const e = em();
    const cf = randomFiscalCode();
    const { walletId } = await seedMember(e, circuit.id, { fiscalCode: cf, issuedCents: 1_000 });
    // Each hold is 2 € + 7 cents of fee: at most 4 of 10 fit in 10 €.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => hold(holdOf({ person: person(cf), amountCents: 200 }))),
    );
    const held = results.filter((r) => r.status === 'fulfilled').length;
    expect(held).toBe(4);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ reason: 'INSUFFICIENT_FUNDS' });
    }
    expect((await balance(walletId)).available).toBe(1_000 - 4 * 207);
    await expectBookBalanced();
  });

  it('takes the fee from the provider at the capture when the payee pays it', async () => {
    const e = em();
    const { circuit: payeeCircuit, accounts: payeeAccounts } = await seedCircuit(e, randomUUID(), {
      feePayer: 'PAYEE',
    });
    const cf = randomFiscalCode();
    const provider = randomUUID();
    const { walletId } = await seedMember(e, payeeCircuit.id, {
      fiscalCode: cf,
      issuedCents: 1_000,
    });
    const { walletId: to } = await seedMember(e, payeeCircuit.id, {
      kind: 'COOPERATIVE',
      organisationId: provider,
      acceptsIes: true,
    });
    const request = holdOf({
      fundId: payeeCircuit.id,
      person: person(cf),
      offer: offer({ providerId: provider }),
      amountCents: 1_000,
    });
    await hold(request);
    expect((await balance(walletId)).available).toBe(0);
    await capture(request.legId);
    expect((await balance(to)).posted).toBe(985);
    expect((await balance(payeeAccounts.fees)).posted).toBe(15);
    await expectBookBalanced();
  });
});

describe('service authentication', () => {
  it('refuses another service (403) and a gateway token (401), changing nothing', async () => {
    const before = await balance(marioWallet);
    const request = holdOf({ amountCents: 500 });
    expect(await refusal(identity.call(FUND_PATHS.hold, request, fundLeg))).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    const token = await gatewaySign('ies-circuit', { kind: 'service', service: 'payments' }, 'r-1');
    for (const path of Object.values(FUND_PATHS)) {
      const res = await httpRequest(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      expect(res.status).toBe(401);
      await res.text();
    }
    expect(await balance(marioWallet)).toEqual(before);
    expect((await legState(request.legId)).status).toBe('UNKNOWN');
  });

  it('answers a malformed body with its fields (400), changing nothing', async () => {
    const before = await balance(marioWallet);
    const refused = await refusal(
      payments.call(FUND_PATHS.hold, { ...holdOf(), legId: 'leg-1', amountCents: 0 }, fundLeg),
    );
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(refused.fields.map((f) => f.field).sort()).toEqual(['amountCents', 'legId']);
    expect(await balance(marioWallet)).toEqual(before);
  });
});

describe('Offer.acceptsIes', () => {
  const QUERY = /* GraphQL */ `
    query ($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Offer {
          id
          acceptsIes
        }
      }
    }
  `;
  const rep = (providerId: string) => ({ __typename: 'Offer', id: randomUUID(), providerId });

  it('is true when the provider is an ACTIVE member accepting IES, false otherwise, for anyone', async () => {
    // The offers of one list are answered with one read, whatever their providers.
    const reads = vi.spyOn(
      suite.services.offerIes as unknown as { accepting: () => Promise<Set<string>> },
      'accepting',
    );
    const result = await suite.run<{ _entities: { acceptsIes: boolean }[] }>(
      QUERY,
      { reps: [rep(PROVIDER), rep(NOT_ACCEPTING), rep(OUTSIDER), rep(PROVIDER.toUpperCase())] },
      ANONYMOUS,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities.map((o) => o.acceptsIes)).toEqual([true, false, false, true]);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
  });

  it('is false when the provider’s membership is suspended', async () => {
    const provider = randomUUID();
    const { member } = await seedMember(em(), circuit.id, {
      kind: 'COOPERATIVE',
      organisationId: provider,
      acceptsIes: true,
    });
    const ask = async () =>
      (await suite.run<{ _entities: { acceptsIes: boolean }[] }>(QUERY, { reps: [rep(provider)] }))
        .data?._entities[0]?.acceptsIes;
    expect(await ask()).toBe(true);
    await em().nativeUpdate(
      Member,
      { id: member.id },
      { status: 'SUSPENDED', decisionReason: 'Prova di sospensione' },
    );
    expect(await ask()).toBe(false);
  });
});
