// Issue 4, "A crash test": a burst of card payments through the gateway with fixed idempotency
// keys, the public-welfare process killed (SIGKILL) in the middle of it and restarted, every
// payment retried with its key until it gets a definite answer; then the book is checked.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN_ID, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { login, type GraphQLResponse } from '../support/graphql.js';
import {
  chargeCard,
  accreditShop,
  bookProblems,
  reconciliationProblems,
  creditCampaign,
  seedCards,
  type ChargeAnswer,
  type SeededCard,
} from '../support/money.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const COMUNE_ID = DEMO_COMUNE_ID;
const CAMPAIGN_ID = DEMO_CAMPAIGN_ID;
const CARDS = 40;
const CREDIT = 5_000;
const AMOUNT = 700; // 8 payments of 7 € on 50 € of credit: the 8th is refused
const PER_CARD = 8;
const CLIENTS = 10;
const DEFINITE_REFUSALS = new Set(['CONFLICT', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT']);

interface Outcome {
  key: string;
  cardId: string;
  amount: number;
  result: 'PAID' | 'REFUSED';
  refusal?: string;
  paymentId?: string;
  attempts: number;
}

describe('card payments survive a crash of public-welfare in the middle of a burst', () => {
  let platform: TestPlatform;
  let gateway: string;
  let db: pg.Client;
  let cashier: string;
  let accreditationId: string;
  let cards: SeededCard[];

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = platform.urls.gateway;
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    const owner = await login(gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD);
    const merchantId = owner.viewer.memberships.find((m) => m.organisation.kind === 'MERCHANT')
      ?.organisation.id;
    expect(merchantId).toBeTruthy();
    cashier = (await login(gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD)).token;
    // Approved applications with a card each: SQL (the API issues PINs only inside PDF letters).
    cards = await seedCards(db, {
      dataDir: platform.dataDir,
      comuneId: COMUNE_ID,
      campaignId: CAMPAIGN_ID,
      staffId: manager.viewer.person.id,
      count: CARDS,
      amountCents: CREDIT,
    });
    // The credit and the shop through the gateway, as the Comune and the merchant do it.
    const credited = await creditCampaign(gateway, manager.token, CAMPAIGN_ID, 10_000_000);
    expect(credited.creditedCents).toBe(CARDS * CREDIT);
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

  it('loses nothing, doubles nothing and keeps the book balanced', async () => {
    // Fixed keys: card c, payment p.
    const keys = cards.map((card) => ({
      card,
      keys: Array.from({ length: PER_CARD }, () => randomUUID()),
    }));
    const total = CARDS * PER_CARD;
    const outcomes: Outcome[] = [];
    let answered = 0;
    let inFlight = 0;
    let indefinite = 0;
    let killedAt: { answered: number; inFlight: number } | undefined;
    let crash: Promise<void> | undefined;
    const restart: { started?: number; took?: number } = {};

    const charge = async (card: SeededCard, key: string): Promise<Outcome> => {
      const deadline = Date.now() + 90_000;
      for (let attempts = 1; ; attempts += 1) {
        let answer: GraphQLResponse<ChargeAnswer> | undefined;
        inFlight += 1;
        try {
          answer = await chargeCard(gateway, cashier, {
            key,
            accreditationId,
            fiscalCode: card.fiscalCode,
            amountCents: AMOUNT,
          });
        } catch {
          answer = undefined; // the connection itself failed
        } finally {
          inFlight -= 1;
        }
        const paid = answer?.data?.chargeCard;
        if (paid) {
          return {
            key,
            cardId: card.cardId,
            amount: AMOUNT,
            result: 'PAID',
            paymentId: paid.payment.id,
            attempts,
          };
        }
        const code = answer?.errors?.[0]?.extensions?.code;
        if (answer && answer.status < 500 && code && DEFINITE_REFUSALS.has(code)) {
          return {
            key,
            cardId: card.cardId,
            amount: AMOUNT,
            result: 'REFUSED',
            refusal: `${code}: ${answer.errors?.[0]?.message}`,
            attempts,
          };
        }
        indefinite += 1;
        if (Date.now() > deadline) {
          // What the database and the processes were doing, to find why.
          const activity = await db
            .query<{ line: string }>(
              `select concat_ws(' | ', pid, state, wait_event_type, wait_event,
                 extract(epoch from now() - xact_start)::int || 's', left(query, 160)) as line
               from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
            )
            .then((r) => r.rows.map((row) => row.line).join('\n'))
            .catch((err: unknown) => String(err));
          console.error(
            `crash test diagnostics for ${key}:\n${activity}\n` +
              platform.output
                .filter((l) => /public-welfare|gateway/.test(l))
                .slice(-60)
                .join('\n'),
          );
          throw new Error(
            `no definite answer for ${key} after ${attempts} attempts` +
              ` (restart ${restart.started ? `began ${Date.now() - restart.started} ms ago` : 'not begun'},` +
              ` ${restart.took === undefined ? 'not finished' : `took ${restart.took} ms`}): ${JSON.stringify(answer?.errors)}`,
          );
        }
        // A POS retries with backoff: 100 ms, doubling, at most 1 s between attempts.
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(1_000, 100 * 2 ** (attempts - 1))),
        );
      }
    };

    // Each client owns a set of cards and pays with them one after the other (one POS per card).
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let round = 0; round < PER_CARD; round += 1) {
          for (let c = client; c < keys.length; c += CLIENTS) {
            const { card, keys: cardKeys } = keys[c]!;
            outcomes.push(await charge(card, cardKeys[round]!));
            answered += 1;
            if (!crash && answered >= total / 3) {
              killedAt = { answered, inFlight };
              crash = (async () => {
                await platform.killService('public-welfare');
                restart.started = Date.now();
                await platform.startService('public-welfare');
                restart.took = Date.now() - restart.started;
              })();
            }
          }
        }
      }),
    );
    await crash;
    console.log(
      `crash test: ${total} keys, killed after ${killedAt?.answered} answers with ${killedAt?.inFlight} requests in flight; ` +
        `restarted in ${restart.took} ms; ${indefinite} answers without a definite outcome retried; ` +
        `max attempts for one key ${Math.max(...outcomes.map((o) => o.attempts))}`,
    );

    // The crash happened in the middle of the burst, with requests in flight.
    expect(killedAt).toBeDefined();
    expect(killedAt!.answered).toBeLessThan(total);
    expect(killedAt!.inFlight).toBeGreaterThan(0);
    expect(indefinite).toBeGreaterThan(0);
    expect(outcomes).toHaveLength(total);

    // Every refusal is the credit running out (8th payment of each card); nothing else.
    const paid = outcomes.filter((o) => o.result === 'PAID');
    const refused = outcomes.filter((o) => o.result === 'REFUSED');
    for (const r of refused) expect(r.refusal).toMatch(/^CONFLICT/);
    expect(paid).toHaveLength(CARDS * Math.floor(CREDIT / AMOUNT));
    expect(refused).toHaveLength(total - paid.length);

    // At most one payment per key; every PAID key exists with its amount; no REFUSED key exists.
    const { rows: payments } = await db.query<{
      id: string;
      card_id: string;
      amount_cents: string;
      status: string;
      transfers: number;
    }>(
      `select id, card_id, amount_cents::text, status, jsonb_array_length(transfer_ids) as transfers
       from public_welfare.payment where accreditation_id = $1`,
      [accreditationId],
    );
    const byId = new Map(payments.map((p) => [p.id, p]));
    expect(byId.size).toBe(payments.length);
    for (const o of paid) {
      expect(o.paymentId).toBe(o.key);
      const row = byId.get(o.key);
      expect(row, `payment ${o.key} answered as paid but missing`).toBeDefined();
      expect(Number(row!.amount_cents)).toBe(o.amount);
      expect(row!.card_id).toBe(o.cardId);
      expect(row!.status).toBe('AUTHORISED');
    }
    for (const o of refused) expect(byId.has(o.key)).toBe(false);
    expect(payments).toHaveLength(paid.length);

    // One PAYMENT transfer per payment (one campaign), none left over by the crash.
    // (Into this shop's account: the demo data has payments of its own at another agreement.)
    const { rows: transfers } = await db.query<{ n: number; sum: string }>(
      `select count(*)::int as n, coalesce(sum(t.amount), 0)::text as sum
       from public_welfare.book_transfer t
       join public_welfare.book_account a on a.id = t.credit_account_id
       where t.code = 'PAYMENT' and a.code = $1`,
      [`shop:${accreditationId}`],
    );
    expect(transfers[0]!.n).toBe(payments.reduce((n, p) => n + p.transfers, 0));
    const paidSum = paid.reduce((s, o) => s + o.amount, 0);
    expect(Number(transfers[0]!.sum)).toBe(paidSum);

    // The cards' accounts: debits equal the payments, card by card; none below zero.
    const { rows: accounts } = await db.query<{
      code: string;
      credits: string;
      debits: string;
      available: string;
    }>(
      `select code, credits_posted::text as credits, (debits_posted + debits_pending)::text as debits,
         (credits_posted - debits_posted - debits_pending)::text as available
       from public_welfare.book_account where code like $1`,
      [`card:%:campaign:${CAMPAIGN_ID}`],
    );
    expect(accounts).toHaveLength(CARDS);
    const paidByCard = new Map<string, number>();
    for (const o of paid) paidByCard.set(o.cardId, (paidByCard.get(o.cardId) ?? 0) + o.amount);
    let debits = 0;
    for (const a of accounts) {
      const cardId = a.code.split(':')[1]!;
      expect(Number(a.credits)).toBe(CREDIT);
      expect(Number(a.debits), a.code).toBe(paidByCard.get(cardId) ?? 0);
      expect(Number(a.available)).toBeGreaterThanOrEqual(0);
      debits += Number(a.debits);
    }
    expect(debits).toBe(paidSum);
    // The shop's hot account: what its row holds and what is still to fold into it.
    const { rows: shop } = await db.query<{ credits: string }>(
      `select (a.credits_posted + (select coalesce(sum(p.amount), 0)
         from public_welfare.book_pending_credit p where p.account_id = a.id))::text as credits
       from public_welfare.book_account a where a.code = $1`,
      [`shop:${accreditationId}`],
    );
    expect(Number(shop[0]?.credits)).toBe(paidSum);

    expect(await bookProblems(db)).toEqual([]);
    expect(await reconciliationProblems(platform.urls.gateway)).toEqual([]);

    // A replay of paid keys after the crash returns the same payment and writes nothing more.
    const again = await Promise.all(
      paid.slice(0, 20).map((o) => {
        const card = cards.find((c) => c.cardId === o.cardId)!;
        return charge(card, o.key);
      }),
    );
    for (const [i, a] of again.entries()) {
      expect(a.result).toBe('PAID');
      expect(a.paymentId).toBe(paid[i]!.key);
    }
    const { rows: after } = await db.query<{ n: number }>(
      `select count(*)::int as n from public_welfare.payment where accreditation_id = $1`,
      [accreditationId],
    );
    expect(after[0]!.n).toBe(paid.length);
  }, 300_000); // a kill, a restart and the retries: minutes on a loaded 2-core machine
});
