// Issue 17, item 5 (the card's fallback), across processes as the launcher starts them: a card
// payment at Alimentari Da Rosa's till spends the voucher credit first and then the holder's IES
// (public-welfare holds the IES part in ies-circuit, commits its own part, captures the hold), in
// one authorisation; a card with no voucher credit left still pays with IES; with ies-circuit
// frozen, the voucher-only path still pays and the split is refused with nothing spent; the
// internal routes answer public-welfare's service tokens only. Both books' invariants after.
import { randomUUID } from 'node:crypto';
import { httpRequest } from '@welfare/kit/client';
import { IES_CARD_PATHS } from '@welfare/kit/contracts';
import { DEMO_CARD_HOLDER, DEMO_CARD_PIN } from '@welfare/public-welfare/demo';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_SPENDING_CAMPAIGN_ID, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { bookProblems } from '../support/money.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** ies-circuit's demo (src/demo/facts.ts): the Balestrate circuit, Giuseppe's membership. */
const CIRCUIT = '1e5c0000-0000-4000-8000-000000000001';
const GIUSEPPE_MEMBER = '1e5c0000-0000-4000-8000-000000000105';
/** identity's demo shop, Alimentari Da Rosa: a member of the circuit that accepts IES. */
const DA_ROSA = '0b7c2d1e-0000-4000-8000-000000000104';

interface Split {
  voucherCents: number;
  iesCents: number;
  payable: boolean;
  iesCircuitName: string | null;
  iesUnavailable: boolean;
}

const PREVIEW = `mutation($input: ChargeCardInput!) {
  previewCardCharge(input: $input) { voucherCents iesCents payable iesCircuitName iesUnavailable }
}`;
const CHARGE = `mutation($input: ChargeCardInput!) {
  chargeCard(input: $input) { residualCents payment { id amountCents iesCents iesStatus } }
}`;

describe('the card’s fallback to IES, across processes', () => {
  let platform: TestPlatform;
  let db: pg.Client;
  let cashier = '';
  let accreditationId = '';

  const input = (amountCents: number, iesCents?: number) => ({
    idempotencyKey: randomUUID(),
    accreditationId,
    card: { fiscalCode: DEMO_CARD_HOLDER },
    pin: DEMO_CARD_PIN,
    amountCents,
    category: 'FOOD',
    ...(iesCents === undefined ? {} : { iesCents }),
  });
  const preview = async (amountCents: number) => {
    const answer = await gql<{ previewCardCharge: Split }>(
      platform.urls.gateway,
      PREVIEW,
      { input: input(amountCents) },
      { token: cashier },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.previewCardCharge;
  };
  const charge = (amountCents: number, iesCents?: number) =>
    gql<{
      chargeCard: {
        residualCents: number;
        payment: { id: string; amountCents: number; iesCents: number; iesStatus: string | null };
      };
    }>(platform.urls.gateway, CHARGE, { input: input(amountCents, iesCents) }, { token: cashier });

  /** Giuseppe's IES wallet: posted and available cents (a citizen's wallet is not hot). */
  async function wallet(): Promise<{ posted: number; available: number }> {
    const { rows } = await db.query<{ posted: string; available: string }>(
      `select (credits_posted - debits_posted)::text as posted,
              (credits_posted - debits_posted - debits_pending)::text as available
         from ies_circuit.book_account where code = $1`,
      [`circuit:${CIRCUIT}:member:${GIUSEPPE_MEMBER}`],
    );
    return { posted: Number(rows[0]!.posted), available: Number(rows[0]!.available) };
  }

  beforeAll(async () => {
    platform = await startTestPlatform({ web: false });
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    cashier = (await login(platform.urls.gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD))
      .token;
    const shops = await gql<{
      merchantAccreditations: { id: string; campaignId: string; status: string }[];
    }>(
      platform.urls.gateway,
      `query($m: ID!) { merchantAccreditations(merchantId: $m) { id campaignId status } }`,
      { m: DA_ROSA },
      { token: cashier },
    );
    accreditationId = shops.data!.merchantAccreditations.find(
      (a) => a.campaignId === DEMO_SPENDING_CAMPAIGN_ID && a.status === 'ACCREDITED',
    )!.id;
  }, 600_000);

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
  });

  it('refuses a call to the internal routes without public-welfare’s service token', async () => {
    const url = platform.urls.subgraphs['ies-circuit']!;
    const answer = await httpRequest(new URL(IES_CARD_PATHS.quote, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cashier}` },
      body: JSON.stringify({ fiscalCode: DEMO_CARD_HOLDER, shopOrganisationId: DA_ROSA }),
      timeoutMs: 10_000,
    });
    expect(answer.status).toBe(401);
  });

  it('with ies-circuit frozen: the voucher-only path pays, the split is refused, nothing spent', async () => {
    const pid = platform.pid('ies-circuit');
    if (!pid) throw new Error('ies-circuit is not running');
    const before = await wallet();
    process.kill(pid, 'SIGSTOP');
    let thawed = false;
    try {
      const split = await preview(1_000_000);
      expect(split).toMatchObject({ iesCents: 0, payable: false, iesUnavailable: true });
      const voucherOnly = await charge(100);
      expect(voucherOnly.errors, JSON.stringify(voucherOnly.errors)).toBeUndefined();
      expect(voucherOnly.data!.chargeCard.payment.iesCents).toBe(0);
      const refused = await charge(split.voucherCents - 100 + 300, 300);
      expect(refused.errors?.[0]?.extensions?.reason).toBe('IES_UNAVAILABLE');
      process.kill(pid, 'SIGCONT');
      thawed = true;
      // The frozen service's late requests ran past their deadline: nothing held, nothing moved.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await wallet()).toEqual(before);
    } finally {
      if (!thawed) process.kill(pid, 'SIGCONT');
    }
  }, 120_000);

  it('pays the voucher credit first and then the holder’s IES, in one authorisation', async () => {
    const before = await wallet();
    const { voucherCents } = await preview(1_000_000);
    expect(voucherCents).toBeGreaterThan(0);
    const amount = voucherCents + 800;
    const split = await preview(amount);
    expect(split).toEqual({
      voucherCents,
      iesCents: 800,
      payable: true,
      iesCircuitName: 'Circuito IES Balestrate',
      iesUnavailable: false,
    });
    // Without the holder's agreement to the split: INSUFFICIENT_CREDIT, as before.
    const unconfirmed = await charge(amount);
    expect(unconfirmed.errors?.[0]?.extensions?.reason).toBe('INSUFFICIENT_CREDIT');
    const paid = await charge(amount, 800);
    expect(paid.errors, JSON.stringify(paid.errors)).toBeUndefined();
    expect(paid.data!.chargeCard).toMatchObject({
      residualCents: 0,
      payment: { amountCents: amount, iesCents: 800, iesStatus: 'CAPTURED' },
    });
    expect(await wallet()).toEqual({
      posted: before.posted - 800,
      available: before.available - 800,
    });
  }, 120_000);

  it('a card with no voucher credit left still pays with IES', async () => {
    const before = await wallet();
    expect(await preview(450)).toMatchObject({ voucherCents: 0, iesCents: 450, payable: true });
    const paid = await charge(450, 450);
    expect(paid.errors, JSON.stringify(paid.errors)).toBeUndefined();
    expect(paid.data!.chargeCard.payment).toMatchObject({ iesCents: 450, iesStatus: 'CAPTURED' });
    expect((await wallet()).posted).toBe(before.posted - 450);
    // More than the holder's IES: refused, nothing spent.
    const over = await charge(before.available, before.available);
    expect(over.errors?.[0]?.extensions?.reason).toBe('INSUFFICIENT_IES');
    expect((await wallet()).posted).toBe(before.posted - 450);
  }, 120_000);

  it('keeps both books’ invariants', async () => {
    expect(await bookProblems(db)).toEqual([]);
    expect(await bookProblems(db, 'ies_circuit')).toEqual([]);
  });
});
