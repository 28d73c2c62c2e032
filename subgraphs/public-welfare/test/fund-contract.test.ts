import { randomUUID } from 'node:crypto';
import { createLogger } from '@welfare/kit';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { httpRequest } from '@welfare/kit/client';
import {
  FUND_PATHS,
  fundLeg,
  type FundLeg,
  fundRoutes,
  type HoldRequest,
  type QuoteRequest,
  quoteResponse,
} from '@welfare/kit/contracts';
import { ServiceClient, ServiceRefusal } from '@welfare/kit/service';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { loadPublicWelfareConfig } from '../src/config.js';
import { FundService } from '../src/modules/fund/fund.service.js';
import {
  TransferCode,
  accountCodes,
  book,
  settlementAccount,
} from '../src/modules/ledger/ledger.js';
import { TopUpService } from '../src/modules/top-up/top-up.service.js';
import { buildPublicWelfareSchema } from '../src/schema.js';
import { LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, COMUNE_B, setupSuite, type Suite } from './helpers.js';
import {
  applyAndApprove,
  available,
  citizen,
  expectMoneyReconciled,
  liveCard,
  operator,
  publishCampaign,
} from './money-world.js';

let suite: Suite;
let server: RunningSubgraph;
let payments: ServiceClient;
let identity: ServiceClient;
let gatewaySign: Awaited<ReturnType<typeof createTokenSigner>>;
let campaign: Campaign;
let marioCard: string;
let saraCard: string;
/** The clock of the spending windows (null: the real one). */
let windowClock: Date | null = null;
const em = () => suite.orm.em.fork();
const PROVIDER = randomUUID();
const OFFER = randomUUID();

const offer = (over: Partial<QuoteRequest['offer']> = {}): QuoteRequest['offer'] => ({
  payableRef: `offer-booking:${OFFER}`,
  offerId: OFFER,
  comuneId: COMUNE_A,
  providerId: PROVIDER,
  category: 'EDUCATION',
  providerAccredited: true,
  ...over,
});
const person = (fiscalCode?: string) => ({
  personId: randomUUID(),
  ...(fiscalCode ? { fiscalCode } : {}),
});
const mario = person(CF.mario);
const sara = person(CF.sara);

function quote(request: Partial<QuoteRequest> = {}) {
  return payments.call(
    FUND_PATHS.quote,
    { person: mario, offer: offer(), amountCents: 10_000, ...request },
    quoteResponse,
  );
}

function holdOf(over: Partial<HoldRequest> = {}): HoldRequest {
  return {
    legId: randomUUID(),
    checkoutId: randomUUID(),
    fundId: campaign.id,
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

/** The refusal of a call, or a failure of the test when it was answered. */
async function refusal(call: Promise<unknown>): Promise<ServiceRefusal> {
  const outcome = await call.then(
    (answer) => ({ answer }),
    (err: unknown) => ({ err }),
  );
  if (!('err' in outcome)) throw new Error(`answered ${JSON.stringify(outcome.answer)}`);
  expect(outcome.err).toBeInstanceOf(ServiceRefusal);
  return outcome.err as ServiceRefusal;
}

/** The provider's account for the campaign: its posted balance (0 before it exists). */
async function providerBalance(): Promise<number> {
  const [account] = await book.accounts(em(), {
    codes: [accountCodes.provider(PROVIDER, campaign.id)],
  });
  return account?.posted ?? 0;
}

/** The book's movements on the holders' card accounts (every fund operation writes one). */
async function transferCount(): Promise<number> {
  let count = 0;
  let before: number | undefined;
  do {
    const page = await book.statement(
      em(),
      { owner: { kind: 'card', ids: [marioCard, saraCard] } },
      { limit: 500, ...(before ? { before } : {}) },
    );
    count += page.items.length;
    before = page.next ?? undefined;
  } while (before !== undefined);
  return count;
}

beforeAll(async () => {
  suite = await setupSuite('fund_contract');
  const keys = {
    payments: await generateGatewayKeys(),
    identity: await generateGatewayKeys(),
    gateway: await generateGatewayKeys(),
  };
  gatewaySign = await createTokenSigner(keys.gateway.privateKey);
  server = await startSubgraph({
    name: 'public-welfare',
    schema: await buildPublicWelfareSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.gateway.publicKey,
    logger: createLogger('public-welfare-test', 'silent'),
    internal: {
      publicKeys: { payments: keys.payments.publicKey, identity: keys.identity.publicKey },
      routes: fundRoutes({
        orm: suite.orm,
        funds: new FundService(suite.services.cards, () => windowClock ?? new Date()),
      }),
    },
  });
  const client = (service: 'payments' | 'identity') =>
    new ServiceClient({
      service,
      privateKey: keys[service].privateKey,
      audience: 'public-welfare',
      baseUrl: server.url,
    });
  payments = client('payments');
  identity = client('identity');

  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  campaign = await publishCampaign(suite, {
    title: 'Buoni servizi 2026',
    serviceCategories: ['EDUCATION', 'SPORT'],
  });
  await applyAndApprove(suite, citizen(CF.mario), campaign);
  await applyAndApprove(suite, citizen(CF.sara), campaign);
  await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
  await suite.services.topUps.topUpCampaign(em(), operator, campaign.id);
  marioCard = (await liveCard(suite, CF.mario)).id;
  saraCard = (await liveCard(suite, CF.sara)).id;
  expect(await available(suite, marioCard, campaign.id)).toBeGreaterThan(20_000);
}, 120_000);

afterEach(async () => {
  windowClock = null;
  await expectMoneyReconciled(suite);
});

afterAll(async () => {
  await server?.stop(); // also closes the ORM
});

describe('quote', () => {
  it('lists the covering campaign with the holder’s balance there', async () => {
    const balance = await available(suite, marioCard, campaign.id);
    const { options } = await quote({ amountCents: 10_000 });
    expect(options).toEqual([
      {
        fundId: campaign.id,
        kind: 'VOUCHER',
        label: { it: 'Buoni servizi 2026', en: 'Buoni servizi 2026' },
        balanceCents: balance,
        spendableCents: 10_000,
        restricted: true,
        endsOn: campaign.spendingUntil,
        rule: {
          categoryCovered: true,
          providerAccredited: true,
          spendFrom: campaign.spendingFrom,
          spendUntil: campaign.spendingUntil,
        },
      },
    ]);
    // The price above the balance: the balance is what can be spent.
    const dear = await quote({ amountCents: balance + 1 });
    expect(dear.options[0]!.spendableCents).toBe(balance);
  });

  it('lists none for an uncovered category, an unaccredited provider, another Comune', async () => {
    for (const other of [
      offer({ category: 'HEALTH' }),
      offer({ providerAccredited: false }),
      offer({ comuneId: COMUNE_B }),
    ]) {
      expect((await quote({ offer: other })).options).toEqual([]);
    }
  });

  it('lists none outside the spending window (Italian days)', async () => {
    windowClock = new Date('2031-01-01T10:00:00Z'); // the day after spendingUntil 2030-12-31
    expect((await quote()).options).toEqual([]);
    windowClock = new Date('2025-12-31T23:30:00Z'); // already 1 January 2026 in Italy
    expect((await quote()).options).toHaveLength(1);
    windowClock = new Date('2025-12-31T22:30:00Z'); // still 31 December 2025 in Italy: not yet
    expect((await quote()).options).toEqual([]);
  });

  it('lists none for a person without codice fiscale, without card, or with a blocked card', async () => {
    expect((await quote({ person: person() })).options).toEqual([]);
    expect((await quote({ person: person(CF.rosa) })).options).toEqual([]);
    await suite.services.cards.block(em(), operator, saraCard, 'LOST');
    try {
      expect((await quote({ person: sara })).options).toEqual([]);
      const before = await transferCount();
      const refused = await refusal(hold(holdOf({ person: sara })));
      expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'NOT_COVERED' });
      expect(await transferCount()).toBe(before);
    } finally {
      await suite.services.cards.unblock(em(), operator, saraCard);
    }
    expect((await quote({ person: sara })).options).toHaveLength(1);
  });
});

describe('hold, capture, release', () => {
  it('hold then capture moves the money from the card to the provider account', async () => {
    const before = await available(suite, marioCard, campaign.id);
    const provider = await providerBalance();
    const spent = async () => (await suite.services.credit.balancesOf(em(), marioCard))[0]!;
    const spentBefore = (await spent()).spentCents;
    const request = holdOf({ amountCents: 5_000 });
    const held = await hold(request);
    expect(await spent()).toMatchObject({
      spentCents: spentBefore,
      availableCents: before - 5_000,
    });
    expect(held).toMatchObject({ legId: request.legId, status: 'HELD', amountCents: 5_000 });
    expect(Date.parse(held.expiresAt!)).toBeGreaterThan(Date.now());
    expect(await available(suite, marioCard, campaign.id)).toBe(before - 5_000);
    expect(await providerBalance()).toBe(provider);

    const captured = await capture(request.legId);
    expect(captured).toMatchObject({ status: 'CAPTURED', amountCents: 5_000, refundedCents: 0 });
    // Capturing again is the same capture.
    expect(await capture(request.legId)).toEqual(captured);
    expect(await legState(request.legId)).toEqual(captured);
    expect(await available(suite, marioCard, campaign.id)).toBe(before - 5_000);
    expect(await providerBalance()).toBe(provider + 5_000);
    // The holder's own view counts it as spent once captured, one movement.
    expect(await spent()).toMatchObject({ spentCents: spentBefore + 5_000 });
    const movements = await suite.services.credit.movements(em(), citizen(CF.mario), marioCard);
    expect(
      movements.filter((m) => m.reference?.startsWith(`fund-leg:${request.legId};`)),
    ).toMatchObject([{ code: 'SERVICE_PAYMENT', amountCents: -5_000 }]);
    // A captured leg cannot be released (refund it instead).
    expect(await refusal(release(request.legId))).toMatchObject({ reason: 'HOLD_NOT_PENDING' });
  });

  it('hold then release gives the credit back; releasing again or a leg never held is harmless', async () => {
    const before = await available(suite, marioCard, campaign.id);
    const request = holdOf({ amountCents: 3_000 });
    await hold(request);
    expect(await available(suite, marioCard, campaign.id)).toBe(before - 3_000);
    const released = await release(request.legId);
    expect(released).toMatchObject({ status: 'RELEASED', amountCents: 3_000 });
    expect(await release(request.legId)).toEqual(released);
    expect(await available(suite, marioCard, campaign.id)).toBe(before);
    const refused = await refusal(capture(request.legId));
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'HOLD_NOT_PENDING' });
    expect(refused.localized.it).toMatch(/prenotazione/);
    expect(refused.localized.en).toMatch(/hold/);

    const never = randomUUID();
    const count = await transferCount();
    expect(await release(never)).toEqual({
      legId: never,
      status: 'UNKNOWN',
      amountCents: 0,
      refundedCents: 0,
      expiresAt: null,
    });
    expect((await legState(never)).status).toBe('UNKNOWN');
    expect(await refusal(capture(never))).toMatchObject({ reason: 'HOLD_NOT_PENDING' });
    expect(await transferCount()).toBe(count);
  });

  it('an expired hold cannot be captured, and its credit is the holder’s again', async () => {
    const before = await available(suite, marioCard, campaign.id);
    const request = holdOf({
      amountCents: 2_000,
      expiresAt: new Date(Date.now() + 1_000).toISOString(),
    });
    expect((await hold(request)).status).toBe('HELD');
    expect(await available(suite, marioCard, campaign.id)).toBe(before - 2_000);
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await legState(request.legId)).status).toBe('EXPIRED');
    const refused = await refusal(capture(request.legId));
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'HOLD_EXPIRED' });
    expect(refused.localized.it).toMatch(/scaduta/);
    expect(refused.localized.en).toMatch(/expired/);
    expect(await available(suite, marioCard, campaign.id)).toBe(before);
    // Still refused, and releasing it is harmless.
    expect(await refusal(capture(request.legId))).toMatchObject({ reason: 'HOLD_EXPIRED' });
    expect((await release(request.legId)).status).toBe('EXPIRED');
    expect(await available(suite, marioCard, campaign.id)).toBe(before);
  });

  it('caps the expiry at the book’s longest hold and refuses one in the past', async () => {
    const request = holdOf({ expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() });
    const held = await hold(request);
    expect(Date.parse(held.expiresAt!)).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000 + 5_000);
    expect(Date.parse(held.expiresAt!)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    await release(request.legId);
    const count = await transferCount();
    const past = await refusal(hold(holdOf({ expiresAt: new Date(Date.now() - 1).toISOString() })));
    expect(past).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(past.fields.map((f) => f.field)).toEqual(['expiresAt']);
    expect(await transferCount()).toBe(count);
  });

  it('the same hold twice is one hold; the same leg with other terms is LEG_CONFLICT', async () => {
    const before = await available(suite, marioCard, campaign.id);
    const request = holdOf({ amountCents: 1_500 });
    const before0 = await transferCount();
    const first = await hold(request);
    const count = await transferCount();
    expect(count).toBe(before0 + 1);
    expect(await hold(request)).toEqual(first);
    expect(await transferCount()).toBe(count);
    expect(await available(suite, marioCard, campaign.id)).toBe(before - 1_500);
    for (const other of [
      { ...request, amountCents: 1_600 },
      { ...request, checkoutId: randomUUID() },
      { ...request, offer: offer({ offerId: randomUUID() }) },
      { ...request, person: sara },
    ]) {
      const refused = await refusal(hold(other));
      expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'LEG_CONFLICT' });
    }
    expect(await transferCount()).toBe(count);
    expect(await available(suite, marioCard, campaign.id)).toBe(before - 1_500);
    await release(request.legId);
  });

  it('refuses a hold above the balance (INSUFFICIENT_FUNDS) and one of a fund that does not cover (NOT_COVERED)', async () => {
    const balance = await available(suite, marioCard, campaign.id);
    const count = await transferCount();
    const dear = await refusal(hold(holdOf({ amountCents: balance + 1 })));
    expect(dear).toMatchObject({ code: 'CONFLICT', reason: 'INSUFFICIENT_FUNDS' });
    expect(dear.localized.it).toMatch(/insufficiente/);
    for (const request of [
      holdOf({ fundId: randomUUID() }),
      holdOf({ fundId: 'corporate-plan-7' }),
      holdOf({ offer: offer({ category: 'HEALTH' }) }),
      holdOf({ offer: offer({ providerAccredited: false }) }),
      holdOf({ person: person(CF.rosa) }),
    ]) {
      expect(await refusal(hold(request))).toMatchObject({ reason: 'NOT_COVERED' });
    }
    expect(await transferCount()).toBe(count);
  });
});

describe('refund', () => {
  it('refunds in parts up to the captured amount, each refund once', async () => {
    const before = await available(suite, marioCard, campaign.id);
    const provider = await providerBalance();
    const request = holdOf({ amountCents: 6_000 });
    await hold(request);
    // Not captured yet: nothing to refund.
    expect(await refusal(refund(request.legId, randomUUID(), 100))).toMatchObject({
      reason: 'HOLD_NOT_PENDING',
    });
    await capture(request.legId);
    const [r1, r2, r3, r4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    expect(await refund(request.legId, r1, 2_500)).toMatchObject({
      status: 'CAPTURED',
      refundedCents: 2_500,
    });
    expect((await refund(request.legId, r1, 2_500)).refundedCents).toBe(2_500);
    expect((await refund(request.legId, r2, 2_500)).refundedCents).toBe(5_000);
    const count = await transferCount();
    const beyond = await refusal(refund(request.legId, r3, 1_001));
    expect(beyond).toMatchObject({ code: 'CONFLICT', reason: 'REFUND_EXCEEDS_CAPTURE' });
    expect(beyond.localized.en).toMatch(/1000/);
    expect(await refusal(refund(request.legId, r1, 2_400))).toMatchObject({
      reason: 'LEG_CONFLICT',
    });
    expect(await transferCount()).toBe(count);
    expect((await refund(request.legId, r4, 1_000)).refundedCents).toBe(6_000);
    expect((await refund(request.legId, r4, 1_000)).refundedCents).toBe(6_000);
    expect(await refusal(refund(request.legId, randomUUID(), 1))).toMatchObject({
      reason: 'REFUND_EXCEEDS_CAPTURE',
    });
    expect(await legState(request.legId)).toMatchObject({
      status: 'CAPTURED',
      amountCents: 6_000,
      refundedCents: 6_000,
    });
    expect(await available(suite, marioCard, campaign.id)).toBe(before);
    expect(await providerBalance()).toBe(provider);
    const refunds = await book.movementTotals(
      em(),
      { codes: [accountCodes.card(marioCard, campaign.id)] },
      { codes: [TransferCode.SERVICE_REFUND], by: 'set' },
    );
    expect(refunds[0]).toMatchObject({ credits: 6_000, count: 3 });
  });

  it('concurrent refunds of one leg never exceed the captured amount', async () => {
    const request = holdOf({ amountCents: 1_000 });
    await hold(request);
    await capture(request.legId);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => refund(request.legId, randomUUID(), 300)),
    );
    const done = outcomes.filter((o) => o.status === 'fulfilled');
    expect(done).toHaveLength(3);
    for (const o of outcomes) {
      if (o.status === 'rejected')
        expect(o.reason).toMatchObject({ reason: 'REFUND_EXCEEDS_CAPTURE' });
    }
    expect((await legState(request.legId)).refundedCents).toBe(900);
  });
});

describe('concurrency', () => {
  it('20 concurrent holds of different legs on one card never hold more than the balance', async () => {
    const balance = await available(suite, saraCard, campaign.id);
    const amount = Math.floor(balance / 7) + 1; // six fit, the seventh does not
    const requests = Array.from({ length: 20 }, () =>
      holdOf({ person: sara, amountCents: amount }),
    );
    const outcomes = await Promise.allSettled(requests.map((r) => hold(r)));
    const held = outcomes.filter(
      (o): o is PromiseFulfilledResult<FundLeg> => o.status === 'fulfilled',
    );
    expect(held).toHaveLength(6);
    for (const o of outcomes) {
      if (o.status === 'rejected') {
        expect(o.reason).toBeInstanceOf(ServiceRefusal);
        expect(o.reason).toMatchObject({ reason: 'INSUFFICIENT_FUNDS' });
      }
    }
    expect(await available(suite, saraCard, campaign.id)).toBe(balance - 6 * amount);
    for (const o of held) await release(o.value.legId);
    expect(await available(suite, saraCard, campaign.id)).toBe(balance);
  });
});

describe('service authentication', () => {
  it('refuses another known service (403) and a gateway token (401), changing nothing', async () => {
    const before = await available(suite, marioCard, campaign.id);
    const count = await transferCount();
    const request = holdOf({ amountCents: 500 });
    const forbidden = await refusal(identity.call(FUND_PATHS.hold, request, fundLeg));
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(
      await refusal(identity.call(FUND_PATHS.quote, { ...request }, quoteResponse)),
    ).toMatchObject({ status: 403 });
    const token = await gatewaySign(
      'public-welfare',
      { kind: 'service', service: 'payments' },
      'req-1',
    );
    for (const path of Object.values(FUND_PATHS)) {
      const res = await httpRequest(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      expect(res.status).toBe(401);
      await res.text();
    }
    expect(await transferCount()).toBe(count);
    expect(await available(suite, marioCard, campaign.id)).toBe(before);
    expect((await legState(request.legId)).status).toBe('UNKNOWN');
  });

  it('answers a malformed body with its fields (400), changing nothing', async () => {
    const count = await transferCount();
    const refused = await refusal(
      payments.call(FUND_PATHS.hold, { ...holdOf(), legId: 'leg-1', amountCents: 0 }, fundLeg),
    );
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(refused.fields.map((f) => f.field).sort()).toEqual(['amountCents', 'legId']);
    expect(await transferCount()).toBe(count);
  });
});

describe('card replacement', () => {
  it('releases the card’s holds and refunds reach the replacement card', async () => {
    const capturedLeg = holdOf({ amountCents: 700 });
    await hold(capturedLeg);
    await capture(capturedLeg.legId);
    const heldLeg = holdOf({ amountCents: 400 });
    await hold(heldLeg);
    const total = await available(suite, marioCard, campaign.id);
    const { issued } = await suite.services.cards.replace(em(), operator, marioCard);
    const fresh = issued.card.id;
    // The hold's credit moved with the rest: nothing is left on the dead card.
    expect(await available(suite, marioCard)).toBe(0);
    expect(await available(suite, fresh, campaign.id)).toBe(total + 400);
    expect(await legState(heldLeg.legId)).toMatchObject({ status: 'RELEASED', amountCents: 400 });
    expect(await refusal(capture(heldLeg.legId))).toMatchObject({ reason: 'HOLD_NOT_PENDING' });
    expect((await release(heldLeg.legId)).status).toBe('RELEASED');
    // A refund of a leg captured from the old card goes to the live one.
    expect((await refund(capturedLeg.legId, randomUUID(), 700)).refundedCents).toBe(700);
    expect(await available(suite, marioCard)).toBe(0);
    expect(await available(suite, fresh, campaign.id)).toBe(total + 1_100);
    // And the new card pays.
    expect((await quote()).options[0]!.balanceCents).toBe(total + 1_100);
    expect((await hold(holdOf({ amountCents: 100 }))).status).toBe('HELD');
    marioCard = fresh;
  });
});

describe('configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
    GATEWAY_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"abc"}',
  };

  it('reads the known services’ public keys (none by default) and names a malformed value', async () => {
    const { publicKey } = await generateGatewayKeys();
    expect(loadPublicWelfareConfig(base).servicePublicKeys).toEqual({});
    expect(
      loadPublicWelfareConfig({
        ...base,
        SERVICE_PUBLIC_KEYS: JSON.stringify({ payments: publicKey }),
      }).servicePublicKeys,
    ).toEqual({ payments: publicKey });
    expect(() => loadPublicWelfareConfig({ ...base, SERVICE_PUBLIC_KEYS: '[1]' })).toThrow(
      /SERVICE_PUBLIC_KEYS/,
    );
  });
});

describe('monitoring', () => {
  it('shows the Comune what the campaign’s credit paid for services, and the figures add up', async () => {
    const d = await suite.services.monitoring.dashboard(em(), operator, campaign.id);
    // Captured so far: 5,000 + 6,000 (all refunded) + 1,000 (900 refunded) + 700 (all refunded).
    expect(d.servicesCents).toBe(5_100);
    expect(d.creditedCents - d.spentCents - d.servicesCents - d.returnedCents).toBe(d.unspentCents);
  });
});

describe('reconciliation', () => {
  it('finds provider money that did not come from the campaign’s cards', async () => {
    expect(await suite.services.reconciliation.check(em(), COMUNE_A)).toEqual([]);
    const [provider] = await book.accounts(em(), {
      codes: [accountCodes.provider(PROVIDER, campaign.id)],
    });
    const settlement = await settlementAccount(em(), COMUNE_A);
    const planted = { debit: provider!.id, credit: settlement.id, amount: 50 };
    await book.transfer(em(), { ...planted, id: randomUUID(), code: TransferCode.SERVICE_REFUND });
    const problems = await suite.services.reconciliation.check(em(), COMUNE_A);
    expect(problems).toMatchObject([
      { check: 'CAMPAIGN_SERVICES_EQUAL_PROVIDER_CREDITS', subject: `campaign:${campaign.id}` },
    ]);
    // Put back (so that the book and the reconciliation are clean after the test).
    await book.transfer(em(), {
      id: randomUUID(),
      debit: settlement.id,
      credit: provider!.id,
      amount: 50,
      code: TransferCode.SERVICE_PAYMENT,
    });
  });
});

describe('end of the spending window', () => {
  it('a hold released after the sweep comes back to the card and is swept too', async () => {
    const request = holdOf({ amountCents: 400 });
    await hold(request);
    const after = new TopUpService(suite.services.audit, () => new Date('2031-01-02T10:00:00Z'));
    const first = await after.sweepExpired(em(), operator, campaign.id);
    expect(first.returnedCents).toBeGreaterThan(0);
    expect(await available(suite, marioCard, campaign.id)).toBe(0);
    expect((await release(request.legId)).status).toBe('RELEASED');
    expect(await available(suite, marioCard, campaign.id)).toBe(400);
    expect((await after.sweepExpired(em(), operator, campaign.id)).returnedCents).toBe(400);
    expect(await available(suite, marioCard, campaign.id)).toBe(0);
    expect((await after.sweepExpired(em(), operator, campaign.id)).returnedCents).toBe(0);
  });
});
