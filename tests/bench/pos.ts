// `npm run bench -- pos` (issue 4, "the POS benchmark"). Asserts nothing; prints:
// 1. card payments through the gateway: BENCH_CASHIERS (50) concurrent cashiers over BENCH_CARDS
//    (10,000) cards, BENCH_PAYMENTS payments (default: one per card): payments per second,
//    p50/p95/p99, errors by code, then the book's invariants and the payments counted in the database;
// 2. where the time goes: a trivial query through the gateway, and a payment refused before the PIN
//    check and the book (CATEGORY_EXCLUDED: session, shop, card lookup, idempotency lookup,
//    campaign), same clients, same count;
// 3. the ceiling: the same conditional debit straight on PostgreSQL with as many connections,
//    a single `UPDATE … WHERE available >= amount`, and a book-like transaction (debit the card,
//    credit the one shop, insert the transfer), and the ratio of the gateway's rate to each; then
//    the book's own payment transaction through the kit (`Book.transfer` in its own transaction,
//    from a card account to ONE shop account, hot and then not hot, on accounts of its own opened
//    and credited through the book's API), and its ratio to the single UPDATE.
// Seeding: the approved applications and the cards (PIN known, hashed with Argon2id) are written
// with SQL; the budget, the credit and the shop's accreditation go through the gateway, through the
// services' own paths. The credit is one timed `topUpCampaign` of all the cards (as the portal
// sends it, every line in the answer): when the gateway answered, and when the subgraph's
// transaction ended (a transaction past its deadline rolls back), then its replay (which credits
// only what the first left). Only when the book still lacks credits afterwards, one
// `topUpApplication` per card from BENCH_CASHIERS clients credits what is left.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPlatform } from '@welfare/platform';
import { openOrm } from '@welfare/kit/orm';
import { Book, InsufficientFunds } from '@welfare/kit/book';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import pg from 'pg';
import { DEMO_CAMPAIGN_ID, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import {
  CARD_PIN,
  CHARGE,
  accreditShop,
  bookProblems,
  quantile,
  seedCards,
  type ChargeAnswer,
  type SeededCard,
} from '../support/money.js';

const CARDS = Number(process.env.BENCH_CARDS ?? 10_000);
const CASHIERS = Number(process.env.BENCH_CASHIERS ?? 50);
const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? CARDS);
/** Requests of each one-client row. */
const SINGLE = Number(process.env.BENCH_SINGLE ?? 500);
const CREDIT = 10_000; // 100 € per card
const AMOUNT = 100; // 1 € per payment: 100 payments per card before the credit runs out
const COMUNE_ID = DEMO_COMUNE_ID;
/** The gateway's timeout of one subgraph call (gateway/src/config.ts). */
const SUBGRAPH_TIMEOUT_MS = Number(process.env.SUBGRAPH_TIMEOUT_MS ?? 3_000);
/** The portal's campaign top-up (web/src/lib/server/money.ts), every line in the answer. */
const TOP_UP_CAMPAIGN = `mutation($c: ID!) {
  topUpCampaign(campaignId: $c) {
    creditedCents withoutCard
    lines { applicationId cardId creditedCents totalCreditedCents entitlementCents }
  }
}`;
const CAMPAIGN_ID = DEMO_CAMPAIGN_ID;

interface Burst {
  seconds: number;
  ms: number[];
  errors: Map<string, number>;
}

/**
 * `total` operations by `clients` concurrent workers; worker `w` takes operations w, w + clients,
 * … so that, with one card per operation index, no two workers ever use the same card at once.
 */
async function burst(
  clients: number,
  total: number,
  op: (i: number) => Promise<string | null>,
): Promise<Burst> {
  const ms: number[] = [];
  const errors = new Map<string, number>();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      for (let i = w; i < total; i += clients) {
        const t = performance.now();
        const error = await op(i).catch((err: unknown) => `THROWN ${String(err)}`);
        ms.push(performance.now() - t);
        if (error) errors.set(error, (errors.get(error) ?? 0) + 1);
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, ms, errors };
}

function line(name: string, b: Burst, reference?: Burst): string {
  const rate = b.ms.length / b.seconds;
  const errors = [...b.errors.values()].reduce((s, n) => s + n, 0);
  const ratio = reference
    ? `  ratio ${(rate / (reference.ms.length / reference.seconds)).toFixed(3)}`
    : '';
  return (
    `  ${name.padEnd(46)} ${rate.toFixed(0).padStart(7)}/s   p50 ${quantile(b.ms, 0.5).toFixed(1).padStart(7)}` +
    `  p95 ${quantile(b.ms, 0.95).toFixed(1).padStart(7)}  p99 ${quantile(b.ms, 0.99).toFixed(1).padStart(7)} ms` +
    `   errors ${errors}${errors ? ` ${JSON.stringify(Object.fromEntries(b.errors))}` : ''}${ratio}`
  );
}

const postgres = await startTestPostgres();
const work = await mkdtemp(join(tmpdir(), 'welfare-bench-pos-'));
const databaseUrl = await createTestDatabase(postgres.url, 'bench_pos');
const platform = await startPlatform({
  databaseUrl,
  dataDir: work,
  randomPorts: true,
  nodeEnv: 'test',
  web: false,
  demoData: true,
  log: () => undefined,
});
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
try {
  const gateway = platform.urls.gateway;
  const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
  const owner = await login(gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD);
  const merchantId = owner.viewer.memberships.find((m) => m.organisation.kind === 'MERCHANT')
    ?.organisation.id;
  if (!merchantId) throw new Error('the demo owner has no merchant');
  const cashier = await login(gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD);

  let t = performance.now();
  const cards: SeededCard[] = await seedCards(db, {
    dataDir: work,
    comuneId: COMUNE_ID,
    campaignId: CAMPAIGN_ID,
    staffId: manager.viewer.person.id,
    count: CARDS,
    amountCents: CREDIT,
  });
  const seeded = (performance.now() - t) / 1000;
  const budget = await gql(
    gateway,
    `mutation($c: ID!, $b: SafeInt!) { setCampaignBudget(campaignId: $c, budgetCents: $b) { id } }`,
    { c: CAMPAIGN_ID, b: CARDS * CREDIT + 1_000_000 },
    { token: manager.token },
  );
  if (budget.errors) throw new Error(`setCampaignBudget: ${JSON.stringify(budget.errors)}`);
  /** The campaign's credits in the book: what the cards received, however it got there. */
  const creditedInBook = async () => {
    const { rows } = await db.query<{ sum: string; n: number }>(
      `select coalesce(sum(t.amount), 0)::text as sum, count(*)::int as n
       from public_welfare.book_transfer t
       join public_welfare.book_account f on f.id = t.debit_account_id
       where t.code = 'TOPUP' and f.code = $1`,
      [`campaign:${CAMPAIGN_ID}:fund`],
    );
    return { cents: Number(rows[0]!.sum), transfers: rows[0]!.n };
  };
  type TopUpAnswer = {
    topUpCampaign: { creditedCents: number; withoutCard: number; lines: unknown[] };
  };
  /**
   * One `topUpCampaign` through the gateway, timed twice: when the gateway answers, and when the
   * subgraph's transaction ends. That transaction holds the campaign's row lock until it commits or
   * rolls back, even after the gateway gave up waiting: taking the lock tells when it ended.
   */
  const timedTopUp = async () => {
    const t0 = performance.now();
    const answer = await gql<TopUpAnswer>(
      gateway,
      TOP_UP_CAMPAIGN,
      { c: CAMPAIGN_ID },
      { token: manager.token },
    );
    const answered = (performance.now() - t0) / 1000;
    await db.query('begin');
    await db.query('select 1 from public_welfare.campaign where id = $1 for update', [CAMPAIGN_ID]);
    await db.query('commit');
    const ended = (performance.now() - t0) / 1000;
    const result = answer.data?.topUpCampaign;
    const outcome = result
      ? `${(result.creditedCents / 100).toFixed(0)} € to ${result.lines.length} lines (${result.withoutCard} without card)`
      : `${answer.status} ${answer.errors?.[0]?.extensions?.code ?? 'NO_CODE'}`;
    return (
      `answered in ${answered.toFixed(2)} s: ${outcome}; transaction ended after ${ended.toFixed(2)} s ` +
      `(${ended * 1000 <= SUBGRAPH_TIMEOUT_MS ? 'fits' : 'does NOT fit'} the gateway's timeout)`
    );
  };
  // The whole campaign in one mutation, then the same again (a replay: credits what is left).
  const campaignTopUp = await timedTopUp();
  const replay = await timedTopUp();
  // The replay credits what a first top-up refused (over its deadline) left uncredited.
  const afterReplay = await creditedInBook();
  let fallback = '';
  if (afterReplay.transfers < cards.length) {
    // One top-up per application, BENCH_CASHIERS at a time, for what the campaign top-up left.
    t = performance.now();
    let nextTopUp = 0;
    await Promise.all(
      Array.from({ length: CASHIERS }, async () => {
        while (nextTopUp < cards.length) {
          const card = cards[nextTopUp++]!;
          const answer = await gql<{ topUpApplication: { creditedCents: number } }>(
            gateway,
            `mutation($a: ID!) { topUpApplication(applicationId: $a) { creditedCents } }`,
            { a: card.applicationId },
            { token: manager.token },
          );
          if (!answer.data?.topUpApplication)
            throw new Error(`topUpApplication: ${JSON.stringify(answer.errors)}`);
        }
      }),
    );
    fallback = `then, for the ${cards.length - afterReplay.transfers} applications it left, one topUpApplication each, ${CASHIERS} at a time: ${((performance.now() - t) / 1000).toFixed(1)} s`;
  }
  const credited = await creditedInBook();
  const accreditationId = await accreditShop(
    gateway,
    { token: owner.token, merchantId },
    manager.token,
    CAMPAIGN_ID,
  );
  console.log(
    `POS benchmark: ${CARDS} cards, ${CASHIERS} concurrent cashiers, ${PAYMENTS} payments`,
  );
  console.log(
    `  seeding: ${CARDS} APPROVED applications + ACTIVE cards with SQL in ${seeded.toFixed(1)} s; ` +
      `shop requested and accredited through the gateway`,
  );
  console.log(
    `  credit through the gateway (gateway timeout per subgraph call ${(SUBGRAPH_TIMEOUT_MS / 1000).toFixed(1)} s): ` +
      `in the book: ${credited.transfers} top-ups, ${(credited.cents / 100).toFixed(0)} € (${((CARDS * CREDIT) / 100).toFixed(0)} € expected)`,
  );
  console.log(
    `    topUpCampaign of ${CARDS} applications (the portal's mutation): ${campaignTopUp}`,
  );
  console.log(`    its replay (credits only what the first left): ${replay}`);
  if (fallback) console.log(`    ${fallback}`);
  console.log(
    `  every cashier uses the demo cashier's session (${demoEmail('MERCHANT', 'CASHIER')}); a card is never charged by two cashiers at once`,
  );

  const chargeOnce = async (
    i: number,
    category = 'FOOD',
    amountCents = AMOUNT,
  ): Promise<string | null> => {
    const card = cards[i % cards.length]!;
    const answer = await gql<ChargeAnswer>(
      gateway,
      CHARGE,
      {
        input: {
          idempotencyKey: randomUUID(),
          accreditationId,
          card: { fiscalCode: card.fiscalCode },
          pin: CARD_PIN,
          amountCents,
          category,
        },
      },
      { token: cashier.token },
    );
    if (answer.data?.chargeCard) return null;
    return `${answer.status} ${answer.errors?.[0]?.extensions?.code ?? 'NO_CODE'}`;
  };

  // Warm-up (JIT, connection pools, plan caches): 2 payments per cashier, not counted.
  const warmUp = await burst(CASHIERS, CASHIERS * 2, (i) => chargeOnce(i));
  const warmedUp = warmUp.ms.length - [...warmUp.errors.values()].reduce((s, n) => s + n, 0);

  const payments = await burst(CASHIERS, PAYMENTS, (i) => chargeOnce(i + CASHIERS * 2));
  const succeeded = payments.ms.length - [...payments.errors.values()].reduce((s, n) => s + n, 0);

  const problems = await bookProblems(db);
  const { rows: counted } = await db.query<{ n: number; sum: string }>(
    `select count(*)::int as n, coalesce(sum(amount_cents), 0)::text as sum
     from public_welfare.payment where accreditation_id = $1`,
    [accreditationId],
  );
  const { rows: debited } = await db.query<{ sum: string; negative: number }>(
    `select coalesce(sum(debits_posted), 0)::text as sum,
       count(*) filter (where credits_posted - debits_posted - debits_pending < 0)::int as negative
     from public_welfare.book_account where code like $1`,
    [`card:%:campaign:${CAMPAIGN_ID}`],
  );

  // One cashier: the latency of a payment with nothing else running.
  const alone = await burst(1, SINGLE, (i) => chargeOnce(i + CASHIERS * 2 + PAYMENTS));

  // Where the time goes: the same clients and count on paths through the same gateway, each one
  // stage longer than the one before; a stage's cost is the difference to the row above.
  const stages: { name: string; op: (i: number) => Promise<string | null> }[] = [
    {
      name: 'gateway alone ({ __typename }, anonymous)',
      op: async () => {
        const answer = await gql(gateway, '{ __typename }');
        return answer.errors ? `${answer.status} ${answer.errors[0]?.extensions?.code}` : null;
      },
    },
    {
      name: '+ session ({ __typename }, logged in)',
      op: async () => {
        const answer = await gql(gateway, '{ __typename }', {}, { token: cashier.token });
        return answer.errors ? `${answer.status} ${answer.errors[0]?.extensions?.code}` : null;
      },
    },
    {
      name: '+ subgraph request (cardPaymentByKey)',
      op: async () => {
        const answer = await gql(
          gateway,
          'query($k: ID!) { cardPaymentByKey(idempotencyKey: $k) { id } }',
          { k: randomUUID() },
          { token: cashier.token },
        );
        return answer.errors ? `${answer.status} ${answer.errors[0]?.extensions?.code}` : null;
      },
    },
    {
      name: "+ the charge's checks (refused before the PIN)",
      op: async (i) => {
        const error = await chargeOnce(i, 'ALCOHOL');
        return error?.endsWith(' CONFLICT') ? null : (error ?? 'ACCEPTED');
      },
    },
    {
      name: '+ PIN and locked read (refused: no credit)',
      op: async (i) => {
        const error = await chargeOnce(i, 'FOOD', CREDIT * 100);
        return error?.endsWith(' CONFLICT') ? null : (error ?? 'ACCEPTED');
      },
    },
  ];
  const stageRuns: { name: string; at50: Burst; at1: Burst }[] = [];
  for (const stage of stages) {
    stageRuns.push({
      name: stage.name,
      at50: await burst(CASHIERS, PAYMENTS, stage.op),
      at1: await burst(1, SINGLE, stage.op),
    });
  }

  // The ceiling: the conditional debit straight on PostgreSQL, as many connections.
  await db.query(`create table bench_pos_balance (id int primary key, available bigint not null)`);
  await db.query(`create table bench_pos_shop (id int primary key, credited bigint not null)`);
  await db.query(
    `create table bench_pos_transfer (id uuid primary key, card int not null, amount bigint not null, at timestamptz not null default now())`,
  );
  await db.query(`insert into bench_pos_balance select g, $1 from generate_series(0, $2 - 1) g`, [
    CREDIT,
    CARDS,
  ]);
  await db.query(`insert into bench_pos_shop values (1, 0)`);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CASHIERS });
  await Promise.all(Array.from({ length: CASHIERS }, () => pool.query('select 1')));
  const single = await burst(CASHIERS, PAYMENTS, async (i) => {
    const r = await pool.query(
      `update bench_pos_balance set available = available - $2 where id = $1 and available >= $2`,
      [i % CARDS, AMOUNT],
    );
    return r.rowCount === 1 ? null : 'INSUFFICIENT';
  });
  const bookLike = await burst(CASHIERS, PAYMENTS, async (i) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const r = await client.query(
        `update bench_pos_balance set available = available - $2 where id = $1 and available >= $2`,
        [i % CARDS, AMOUNT],
      );
      if (r.rowCount !== 1) {
        await client.query('rollback');
        return 'INSUFFICIENT';
      }
      await client.query(`update bench_pos_shop set credited = credited + $1 where id = 1`, [
        AMOUNT,
      ]);
      await client.query(`insert into bench_pos_transfer (id, card, amount) values ($1, $2, $3)`, [
        randomUUID(),
        i % CARDS,
        AMOUNT,
      ]);
      await client.query('commit');
      return null;
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
  });
  await pool.end();

  // The book's own payment transaction, through the kit, as public-welfare's payments run it: a
  // MikroORM instance on the bench database (no entities: the book is raw SQL), one `Book.transfer`
  // per iteration, each in a transaction of its own (the book's, on a fork of the EntityManager).
  const orm = await openOrm(
    {
      clientUrl: databaseUrl,
      schema: 'public_welfare',
      entities: [],
      migrations: [],
      poolMax: CASHIERS,
    },
    { migrate: false },
  );
  const book = new Book('public_welfare');
  const tag = randomUUID();
  /** An issuer, CARDS card accounts credited CREDIT each, and one shop account, hot or not. */
  const kitAccounts = async (hot: boolean) => {
    const name = `bench-pos:${tag}:${hot ? 'hot' : 'cold'}`;
    const issuer = await book.openAccount(orm.em.fork(), {
      code: `${name}:issuer`,
      kind: 'ISSUER',
      allowNegative: true,
    });
    const shop = await book.openAccount(orm.em.fork(), {
      code: `${name}:shop`,
      kind: 'MERCHANT',
      hot,
    });
    const opened = await book.openAccounts(
      orm.em.fork(),
      Array.from({ length: CARDS }, (_, i) => ({ code: `${name}:card:${i}`, kind: 'HOLDER' })),
    );
    const cardIds = [...opened.values()].map((a) => a.id);
    // Credited from the issuer through the book, a thousand transfers per batch.
    for (let i = 0; i < cardIds.length; i += 1000)
      await book.transferMany(
        orm.em.fork(),
        cardIds.slice(i, i + 1000).map((card) => ({
          id: randomUUID(),
          debit: issuer.id,
          credit: card,
          amount: CREDIT,
          code: 'BENCH_TOPUP',
        })),
      );
    return { shop: shop.id, cardIds };
  };
  const kitPayments = async (hot: boolean) => {
    const { shop, cardIds } = await kitAccounts(hot);
    const run = await burst(CASHIERS, PAYMENTS, async (i) => {
      try {
        await book.transfer(orm.em.fork(), {
          id: randomUUID(),
          debit: cardIds[i % cardIds.length]!,
          credit: shop,
          amount: AMOUNT,
          code: 'BENCH_PAYMENT',
        });
        return null;
      } catch (err) {
        if (err instanceof InsufficientFunds) return 'INSUFFICIENT';
        const code = (err as { code?: unknown }).code;
        return `THROWN ${typeof code === 'string' ? code : (err as Error).name}`;
      }
    });
    const credited = (await book.balance(orm.em.fork(), shop)).creditsPosted;
    return { run, credited };
  };
  const kitHot = await kitPayments(true);
  const kitCold = await kitPayments(false);
  const kitProblems = await bookProblems(db);
  await orm.close();
  const kitCredited = (k: typeof kitHot) => {
    const ok = k.run.ms.length - [...k.run.errors.values()].reduce((n, e) => n + e, 0);
    return `shop credited ${k.credited} cents (${ok * AMOUNT} expected)`;
  };

  console.log(`\ncard payments through the gateway (chargeCard by codice fiscale + PIN, 1 € each)`);
  console.log(line('chargeCard', payments));
  console.log(
    `  succeeded ${succeeded} of ${payments.ms.length} (+ ${warmedUp} in the warm-up); in the database: ${counted[0]!.n} payments ` +
      `(${succeeded + warmedUp} expected), ${counted[0]!.sum} cents; cards' accounts debited ${debited[0]!.sum} cents ` +
      `(${(succeeded + warmedUp) * AMOUNT} expected), ${debited[0]!.negative} below zero`,
  );
  console.log(
    `  book invariants after the run: ${problems.length === 0 ? 'ok' : problems.join('; ')}`,
  );
  console.log(line(`chargeCard, 1 cashier (${SINGLE} payments)`, alone));
  console.log(
    `\nwhere the time goes (same gateway; ${availableParallelism()} CPUs): each row adds one stage to the row above`,
  );
  console.log(
    `  at ${CASHIERS} clients, ${PAYMENTS} requests per row (ratios to chargeCard's rate):`,
  );
  for (const run of stageRuns) console.log(line(run.name, run.at50, payments));
  console.log(line("+ the book's transaction (chargeCard)", payments, payments));
  console.log(
    `  at 1 client, ${SINGLE} requests per row: p50, and the stage's own cost (p50 minus the row above):`,
  );
  let previous = 0;
  for (const run of [...stageRuns, { name: "+ the book's transaction (chargeCard)", at1: alone }]) {
    const p50 = quantile(run.at1.ms, 0.5);
    console.log(
      `  ${run.name.padEnd(46)} p50 ${p50.toFixed(2).padStart(7)} ms   stage ${(p50 - previous).toFixed(2).padStart(6)} ms`,
    );
    previous = p50;
  }
  console.log(`\nthe ceiling: the same debit straight on PostgreSQL, ${CASHIERS} connections`);
  console.log(line('UPDATE … WHERE available >= amount', single));
  console.log(line('debit card + credit one shop + insert transfer', bookLike));
  console.log(
    `  chargeCard through the gateway / single UPDATE: ${(payments.ms.length / payments.seconds / (single.ms.length / single.seconds)).toFixed(4)}` +
      `; / book-like transaction: ${(payments.ms.length / payments.seconds / (bookLike.ms.length / bookLike.seconds)).toFixed(4)}`,
  );
  console.log(
    `  the book's own payment transaction through the kit (Book.transfer, each in its own transaction, ` +
      `${CASHIERS} clients, one shop account), ratio to the single UPDATE:`,
  );
  console.log(line('book.transfer card → hot shop (kit, own tx)', kitHot.run, single));
  console.log(`    ${kitCredited(kitHot)}`);
  console.log(line('book.transfer card → shop NOT hot (kit, own tx)', kitCold.run, single));
  console.log(`    ${kitCredited(kitCold)}`);
  console.log(
    `  book invariants after the kit rows: ${kitProblems.length === 0 ? 'ok' : kitProblems.join('; ')}`,
  );
} finally {
  await db.end();
  await platform.stop();
  await postgres.teardown();
  await rm(work, { recursive: true, force: true });
}
