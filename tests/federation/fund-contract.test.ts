// Issue 15, item 1: public-welfare as a fund owner, in its own process as the launcher starts it
// (its SERVICE_PUBLIC_KEYS naming a `payments` service): the fund operations answer that service's
// signed calls, and refuse another known service (403) and a gateway token (401).
import { randomUUID } from 'node:crypto';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { httpRequest } from '@welfare/kit/client';
import { FUND_PATHS, fundLeg, quoteResponse } from '@welfare/kit/contracts';
import { ServiceClient, ServiceRefusal } from '@welfare/kit/service';
import { DEMO_CARD_HOLDER } from '@welfare/public-welfare/demo';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, DEMO_SPENDING_CAMPAIGN_ID } from '../support/demo.js';
import { bookProblems } from '../support/money.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The demo citizen whose card holds credit in the demo's spending campaign. */
const HOLDER = DEMO_CARD_HOLDER;

describe('the fund contract of public-welfare, across processes', () => {
  let platform: TestPlatform;
  let db: pg.Client;
  let payments: ServiceClient;
  let identity: ServiceClient;
  let url: string;

  const offer = {
    payableRef: `offer-booking:${randomUUID()}`,
    offerId: randomUUID(),
    comuneId: DEMO_COMUNE_ID,
    providerId: randomUUID(),
    category: 'EDUCATION',
    providerAccredited: true,
  };
  const person = { personId: randomUUID(), fiscalCode: HOLDER };

  beforeAll(async () => {
    const keys = { payments: await generateGatewayKeys(), identity: await generateGatewayKeys() };
    platform = await startTestPlatform({
      web: false,
      subgraphEnv: {
        'public-welfare': {
          SERVICE_PUBLIC_KEYS: JSON.stringify({
            payments: keys.payments.publicKey,
            identity: keys.identity.publicKey,
          }),
        },
      },
    });
    url = platform.urls.subgraphs['public-welfare']!;
    const client = (service: 'payments' | 'identity') =>
      new ServiceClient({
        service,
        privateKey: keys[service].privateKey,
        audience: 'public-welfare',
        baseUrl: url,
      });
    payments = client('payments');
    identity = client('identity');
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    // The demo's spending campaign pays for education services from now on.
    await db.query(
      `update public_welfare.campaign set service_categories = '{EDUCATION}' where id = $1`,
      [DEMO_SPENDING_CAMPAIGN_ID],
    );
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it('quotes, holds and releases the holder’s campaign credit for the payments service', async () => {
    const { options } = await payments.call(
      FUND_PATHS.quote,
      { person, offer, amountCents: 1_000 },
      quoteResponse,
    );
    expect(options).toHaveLength(1);
    expect(options[0]).toMatchObject({
      fundId: DEMO_SPENDING_CAMPAIGN_ID,
      kind: 'VOUCHER',
      spendableCents: 1_000,
    });
    const balance = options[0]!.balanceCents;
    expect(balance).toBeGreaterThan(1_000);

    const legId = randomUUID();
    const held = await payments.call(
      FUND_PATHS.hold,
      {
        legId,
        checkoutId: randomUUID(),
        fundId: DEMO_SPENDING_CAMPAIGN_ID,
        person,
        offer,
        amountCents: 1_000,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      },
      fundLeg,
    );
    expect(held).toMatchObject({ legId, status: 'HELD', amountCents: 1_000 });
    const during = await payments.call(
      FUND_PATHS.quote,
      { person, offer, amountCents: 1_000 },
      quoteResponse,
    );
    expect(during.options[0]!.balanceCents).toBe(balance - 1_000);
    expect((await payments.call(FUND_PATHS.release, { legId }, fundLeg)).status).toBe('RELEASED');
    const after = await payments.call(
      FUND_PATHS.quote,
      { person, offer, amountCents: 1_000 },
      quoteResponse,
    );
    expect(after.options[0]!.balanceCents).toBe(balance);
    expect(await bookProblems(db)).toEqual([]);
  });

  it('refuses another service (403) and a gateway token (401)', async () => {
    const refused = await identity
      .call(FUND_PATHS.quote, { person, offer, amountCents: 1_000 }, quoteResponse)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceRefusal);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const token = await (
      await createTokenSigner(platform.keys.privateKey)
    )('public-welfare', { kind: 'service', service: 'payments' }, 'r1');
    const res = await httpRequest(new URL(FUND_PATHS.quote, url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ person, offer, amountCents: 1_000 }),
    });
    expect(res.status).toBe(401);
    await res.text();
  });
});
