// Issue 12, "An answer is final" (the ghost test). With a short gateway timeout, concurrent charges
// on one card: every payment in the book was answered as authorised to its client, or is found by
// its key after an "unknown" answer, and what the key says then never changes; nothing commits
// after its deadline; a retry with the same key charges once; the book and the reconciliation hold.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN_ID, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login, type GraphQLResponse } from '../support/graphql.js';
import {
  chargeCard,
  accreditShop,
  bookProblems,
  creditCampaign,
  reconciliationProblems,
  seedCards,
  type ChargeAnswer,
  type SeededCard,
} from '../support/money.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const COMUNE_ID = DEMO_COMUNE_ID;
const CAMPAIGN_ID = DEMO_CAMPAIGN_ID;
const CREDIT = 10_000;
const AMOUNT = 100;
/** The gateway's timeout of a subgraph call in this test, and its deadline margin. */
const TIMEOUT_MS = 2_000;
const MARGIN_MS = 250;

const BY_KEY = /* GraphQL */ `
  query ByKey($k: ID!) {
    cardPaymentByKey(idempotencyKey: $k) {
      id
      amountCents
      status
    }
  }
`;

interface Answer {
  key: string;
  kind: 'AUTHORISED' | 'REFUSED' | 'UNKNOWN' | 'SHED';
  code?: string;
  answeredAt: number;
  /** For UNKNOWN and SHED: whether the key found a payment just after the answer. */
  foundAfter?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an answer is final: nothing commits after the caller was answered', () => {
  let platform: TestPlatform;
  let gateway: string;
  let db: pg.Client;
  let cashier: string;
  let accreditationId: string;
  let cards: SeededCard[];

  beforeAll(async () => {
    platform = await startTestPlatform({
      subgraphEnv: {
        gateway: {
          SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS),
          SUBGRAPH_DEADLINE_MARGIN_MS: String(MARGIN_MS),
        },
      },
    });
    gateway = platform.urls.gateway;
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    const owner = await login(gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD);
    const merchantId = owner.viewer.memberships.find((m) => m.organisation.kind === 'MERCHANT')
      ?.organisation.id;
    cashier = (await login(gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD)).token;
    cards = await seedCards(db, {
      dataDir: platform.dataDir,
      comuneId: COMUNE_ID,
      campaignId: CAMPAIGN_ID,
      staffId: manager.viewer.person.id,
      count: 2,
      amountCents: CREDIT,
    });
    const credited = await creditCampaign(gateway, manager.token, CAMPAIGN_ID, 10_000_000);
    expect(credited.creditedCents).toBe(2 * CREDIT);
    accreditationId = await accreditShop(
      gateway,
      { token: owner.token, merchantId: merchantId! },
      manager.token,
      CAMPAIGN_ID,
    );
  });
  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  const charge = (card: SeededCard, key: string) =>
    chargeCard(gateway, cashier, {
      key,
      accreditationId,
      fiscalCode: card.fiscalCode,
      amountCents: AMOUNT,
    });

  const byKey = async (key: string) => {
    const answer = await gql<{ cardPaymentByKey: { id: string; amountCents: number } | null }>(
      gateway,
      BY_KEY,
      { k: key },
      { token: cashier },
    );
    if (answer.data === undefined || answer.data === null)
      throw new Error(`cardPaymentByKey: ${JSON.stringify(answer.errors)}`);
    return answer.data.cardPaymentByKey;
  };

  const classify = (key: string, answer: GraphQLResponse<ChargeAnswer>): Answer => {
    const answeredAt = Date.now();
    if (answer.data?.chargeCard) return { key, kind: 'AUTHORISED', answeredAt };
    const ext = answer.errors?.[0]?.extensions ?? {};
    const code = typeof ext.code === 'string' ? ext.code : 'NONE';
    if (code !== 'SERVICE_UNAVAILABLE') return { key, kind: 'REFUSED', code, answeredAt };
    return { key, kind: ext.outcome === 'UNKNOWN' ? 'UNKNOWN' : 'SHED', code, answeredAt };
  };

  /** Holds the card's row (as a slow concurrent operation would) for `ms`. */
  const holdCard = async (cardId: string, ms: number) => {
    const holder = new pg.Client({ connectionString: platform.databaseUrl });
    await holder.connect();
    await holder.query('begin');
    await holder.query('select 1 from public_welfare.card where id = $1 for update', [cardId]);
    // Wrapped: an async function returning the promise itself would wait for the release.
    return {
      released: (async () => {
        await sleep(ms);
        await holder.query('rollback');
        await holder.end();
      })(),
    };
  };

  const paymentsOf = async (cardId: string) =>
    Number(
      (
        await db.query<{ n: string }>(
          `select count(*)::text as n from public_welfare.payment where card_id = $1`,
          [cardId],
        )
      ).rows[0]!.n,
    );

  /** Freezes the public-welfare process (as a long pause or a starved CPU would) for `ms`. */
  const freezeSubgraph = (ms: number) => {
    const pid = platform.pid('public-welfare');
    if (!pid) throw new Error('public-welfare is not running');
    process.kill(pid, 'SIGSTOP');
    return (async () => {
      await sleep(ms);
      process.kill(pid, 'SIGCONT');
    })();
  };

  const settledByKey = async (keys: string[]) => {
    const found: string[] = [];
    for (const key of keys) if ((await byKey(key)) !== null) found.push(key);
    return found;
  };

  it('commits none of the charges still waiting when their answer went out, and a retry with the same key charges once', async () => {
    const card = cards[0]!;
    // 1. Blocked in the database: the card's row held by another transaction. The subgraph gives
    //    up at the deadline (lock_timeout) and says so, or the gateway answers "unknown".
    const held = Array.from({ length: 10 }, () => randomUUID());
    const { released } = await holdCard(card.cardId, TIMEOUT_MS * 1.6);
    const heldAnswers = await Promise.all(
      held.map(async (key) => classify(key, await charge(card, key))),
    );
    await released;
    expect(heldAnswers.filter((a) => a.kind !== 'UNKNOWN' && a.kind !== 'SHED')).toEqual([]);
    expect(await settledByKey(held)).toEqual([]);

    // 2. Frozen process: the requests wait in its socket queue; the gateway answers "unknown".
    const frozen = Array.from({ length: 10 }, () => randomUUID());
    const thawed = freezeSubgraph(TIMEOUT_MS * 1.3);
    const frozenAnswers = await Promise.all(
      frozen.map(async (key) => classify(key, await charge(card, key))),
    );
    expect(frozenAnswers.map((a) => a.kind)).toEqual(frozen.map(() => 'UNKNOWN'));
    await thawed;

    // The work that was waiting resumes now: none of it may commit (its deadline passed).
    await sleep(TIMEOUT_MS);
    const keys = [...held, ...frozen];
    expect(await paymentsOf(card.cardId)).toBe(0);
    expect(await settledByKey(keys)).toEqual([]);

    // The till retries with the same keys, one after the other as a cashier does: each charges
    // once; a second retry answers the same payment and charges nothing.
    for (let round = 0; round < 2; round++) {
      for (const key of keys) {
        const answer = await charge(card, key);
        expect(answer.errors, key).toBeUndefined();
        expect(answer.data?.chargeCard.payment.id).toBe(key);
      }
    }
    expect(await paymentsOf(card.cardId)).toBe(keys.length);
    expect(await bookProblems(db)).toEqual([]);
  });

  it('keeps every answer true under a burst on one card: authorised ones are booked, unknown ones are settled by their key and never change', async () => {
    const card = cards[1]!;
    const keys = Array.from({ length: 40 }, () => randomUUID());
    // The process freezes in the middle of the burst: charges before it pass, charges in flight
    // get "unknown", and the rest meet a backlog.
    const thawed = (async () => {
      await sleep(600);
      await freezeSubgraph(TIMEOUT_MS * 1.2);
    })();
    const answers = await Promise.all(
      keys.map(async (key, i) => {
        await sleep(i * 50);
        const a = classify(key, await charge(card, key));
        if (a.kind === 'UNKNOWN' || a.kind === 'SHED') a.foundAfter = (await byKey(key)) !== null;
        return a;
      }),
    );
    await thawed;
    await sleep(TIMEOUT_MS);
    const booked = new Set(
      (
        await db.query<{ id: string }>(`select id from public_welfare.payment where card_id = $1`, [
          card.cardId,
        ])
      ).rows.map((r) => r.id),
    );
    const kinds = answers.reduce<Record<string, number>>(
      (n, a) => ({ ...n, [a.kind]: (n[a.kind] ?? 0) + 1 }),
      {},
    );
    expect(kinds.UNKNOWN ?? 0, JSON.stringify(kinds)).toBeGreaterThan(0);
    expect(kinds.AUTHORISED ?? 0, JSON.stringify(kinds)).toBeGreaterThan(0);
    for (const a of answers) {
      const inBook = booked.has(a.key);
      if (a.kind === 'AUTHORISED') expect(inBook, a.key).toBe(true);
      else if (a.kind === 'REFUSED') expect(inBook, `${a.key} ${a.code}`).toBe(false);
      // Unknown: the key's answer just after the timeout is the final one.
      else expect(inBook, `${a.key} ${a.kind}`).toBe(a.foundAfter);
    }
    expect(await bookProblems(db)).toEqual([]);
    expect(await reconciliationProblems(gateway)).toEqual([]);
  });
});
