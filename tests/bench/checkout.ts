// `npm run bench -- checkout` (issue 15, "Benchmarks"). Asserts nothing; prints:
// 1. checkouts through the gateway at BENCH_CLIENTS (50) clients, each a family paying its own
//    bookings one after the other: BENCH_CHECKOUTS (default 1,000) checkouts of 80 €, each with
//    two fund legs (20 € of each of two voucher campaigns covering the offer, both owned by
//    public-welfare) and a card leg (40 €, Stripe Checkout on the fake Stripe): `startCheckout`
//    (both holds, the card page opened), the card paid on the fake's page (its `/__fake/` control),
//    then `refreshCheckout` until PAID (both captures, the card's, the booking completed), an
//    answer without a definite outcome retried with the same checkout id as the portal does:
//    checkouts per second, p50/p95/p99 of the whole, errors by kind, retries; then BENCH_SINGLE
//    (20) checkouts by one client alone (the latency without load);
// 2. in the same run, the POS payment of issue 4 (`chargeCard`, 1 €) at as many clients, as many
//    payments: payments per second and the ratio of the two rates;
// 3. after the run: the holds left pending in the book (0 expected), the book's invariants, the
//    checkouts by status, the fund legs captured, and the card payments the fake Stripe captured.
// Seeding: the families' applications and cards with SQL (as the other money tests), the second
// campaign as a copy of the demo campaign's row (SQL: creating a campaign through the portal is
// a form of a dozen steps); budgets, credit, the shop's accreditation, the provider's Stripe
// onboarding and the bookings through the gateway. The offer ("Centro estivo per bambini", La
// Esse, 80 € a week) is given 200 places a day (SQL) so that every family can book each day.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPlatform } from '@welfare/platform';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import pg from 'pg';
import {
  checkoutClient,
  dayAhead,
  enableCardPayments,
  offerTitled,
  type Checkout,
  type CheckoutPart,
} from '../support/checkout.js';
import { citizenToken } from '../support/citizen.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  demoEmail,
  staffEmail,
} from '../support/demo.js';
import { login } from '../support/graphql.js';
import {
  accreditShop,
  bookProblems,
  chargeCard,
  creditCampaign,
  pendingHolds,
  seedCards,
} from '../support/money.js';
import { burst, failures, line, rate } from './lib.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const CHECKOUTS = Number(process.env.BENCH_CHECKOUTS ?? 1_000);
/** Checkouts of the one-client row (a family alone: the latency with nothing else running). */
const SINGLE = Number(process.env.BENCH_SINGLE ?? 20);
/** Bookings per family: one a day (a family books a day once), warm-up included. */
const PER_FAMILY = Math.ceil(CHECKOUTS / CLIENTS) + 1;
const PRICE = 8_000; // "Centro estivo per bambini": 80 € a week
const FUND_PART = 2_000; // 20 € of each campaign; the card pays the other 40 €
const POS_AMOUNT = 100;
const CREDIT = 1_000_000; // 10,000 € per family in each campaign: never the limit
const SECOND_CAMPAIGN_ID = randomUUID();

const postgres = await startTestPostgres();
const work = await mkdtemp(join(tmpdir(), 'welfare-bench-checkout-'));
const databaseUrl = await createTestDatabase(postgres.url, 'bench_checkout');
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
  const stripe = platform.urls.stripe!;
  const pay = checkoutClient(gateway, stripe);
  const setupStarted = performance.now();
  const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);

  // Two voucher campaigns of the Comune covering the offer's category (CHILDCARE): the demo's
  // and a copy of it, each crediting every family.
  await db.query(
    `insert into public_welfare.campaign
     select (jsonb_populate_record(null::public_welfare.campaign,
       to_jsonb(c) || jsonb_build_object('id', $2::uuid, 'title', 'Buoni servizi per l''infanzia 2026'))).*
     from public_welfare.campaign c where c.id = $1`,
    [DEMO_CAMPAIGN_ID, SECOND_CAMPAIGN_ID],
  );
  const families = await seedCards(db, {
    dataDir: work,
    comuneId: DEMO_COMUNE_ID,
    campaignId: DEMO_CAMPAIGN_ID,
    staffId: manager.viewer.person.id,
    count: CLIENTS + 1,
    amountCents: CREDIT,
  });
  await seedCards(db, {
    dataDir: work,
    comuneId: DEMO_COMUNE_ID,
    campaignId: SECOND_CAMPAIGN_ID,
    staffId: manager.viewer.person.id,
    count: CLIENTS + 1,
    amountCents: CREDIT,
    applicationsOnly: true,
    protocolPrefix: 'PAY2',
  });
  for (const campaign of [DEMO_CAMPAIGN_ID, SECOND_CAMPAIGN_ID])
    await creditCampaign(gateway, manager.token, campaign, CLIENTS * CREDIT + 10_000_000);

  // The provider takes card payments; its offer gets places enough for every family each day.
  const laEsse = (await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD)).token;
  await enableCardPayments(gateway, laEsse, DEMO_ORG.laEsse);
  const offerId = await offerTitled(gateway, laEsse, 'Centro estivo per bambini');
  await db.query(`update third_sector.offer set capacity = 200 where id = $1`, [offerId]);

  // The POS side: the demo shop accredited, the demo cashier's session.
  const owner = await login(gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD);
  const merchantId = owner.viewer.memberships.find((m) => m.organisation.kind === 'MERCHANT')
    ?.organisation.id;
  if (!merchantId) throw new Error('the demo owner has no merchant');
  const accreditationId = await accreditShop(
    gateway,
    { token: owner.token, merchantId },
    manager.token,
    DEMO_CAMPAIGN_ID,
  );
  const cashier = (await login(gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD)).token;

  // Each family's session, and its bookings (one a day), ten families at a time; the last family
  // is the one of the one-client row.
  const tokens: string[] = [];
  const bookings: string[][] = [];
  for (let f = 0; f <= CLIENTS; f += 10) {
    await Promise.all(
      families.slice(f, f + 10).map(async (family, i) => {
        const token = await citizenToken(platform, family.fiscalCode);
        tokens[f + i] = token;
        const mine: string[] = [];
        const days = f + i === CLIENTS ? SINGLE : PER_FAMILY;
        for (let day = 1; day <= days; day += 1)
          mine.push(await pay.book(token, offerId, dayAhead(day), 1));
        bookings[f + i] = mine;
      }),
    );
  }
  const setup = (performance.now() - setupStarted) / 1000;

  const parts: CheckoutPart[] = [
    { owner: 'public-welfare', fundId: DEMO_CAMPAIGN_ID, amountCents: FUND_PART },
    { owner: 'public-welfare', fundId: SECOND_CAMPAIGN_ID, amountCents: FUND_PART },
  ];
  /** Answers without a definite outcome (a timeout, HOLDING) retried with the same checkout id. */
  let retried = 0;
  /**
   * One checkout of family `w`'s `n`-th booking, to PAID, as the portal drives it: an answer
   * without a definite outcome (the gateway's timeout, a checkout left HOLDING) is retried with
   * the same checkout id, which goes on from where it stopped. Answers what went wrong, if anything.
   */
  const checkoutOnce = async (w: number, n: number): Promise<string | null> => {
    const token = tokens[w]!;
    const checkoutId = randomUUID();
    let checkout: Checkout | undefined;
    for (let attempt = 0; ; attempt += 1) {
      const started = await pay.startRaw(token, bookings[w]![n]!, checkoutId, parts);
      checkout = started.data?.startCheckout;
      const code = started.errors?.[0]?.extensions?.code;
      if (checkout && !['OPEN', 'HOLDING'].includes(checkout.status)) break;
      if (!checkout && code !== 'SERVICE_UNAVAILABLE') return `start ${code ?? started.status}`;
      if (attempt === 20) return `start still ${checkout?.status ?? code} after 20 retries`;
      retried += 1;
      await new Promise((r) => setTimeout(r, Math.min(1_000, 100 * 2 ** attempt)));
    }
    if (checkout.status !== 'AWAITING_CARD')
      return `start ${checkout.status} ${checkout.failureReason ?? ''}`;
    const legs = checkout.legs.map((l) => `${l.kind}:${l.amountCents}`).join(',');
    if (legs !== `FUND:${FUND_PART},FUND:${FUND_PART},CARD:${PRICE - 2 * FUND_PART}`)
      return `split ${legs}`;
    const paid = await pay.payOnStripe(checkout);
    if (paid !== 200) return `card page ${paid}`;
    // Stripe's notice usually finishes it; the page's return refreshes it until it is PAID (an
    // answer without a definite outcome is asked again).
    const deadline = Date.now() + 120_000;
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      const answer = await pay.refreshRaw(token, checkout.id);
      const seen = answer.data?.refreshCheckout;
      const code = answer.errors?.[0]?.extensions?.code;
      if (seen?.status === 'PAID') return null;
      if (seen?.status === 'FAILED') return `FAILED ${seen.failureReason}`;
      if (!seen && code !== 'SERVICE_UNAVAILABLE') return `refresh ${code ?? answer.status}`;
      if (!seen) retried += 1;
      await new Promise((r) => setTimeout(r, Math.min(500, 25 * 2 ** attempt)));
    }
    return 'not PAID after 2 minutes';
  };

  // Warm-up: one checkout per family (its booking 0), not counted.
  const warmUp = await burst(CLIENTS, CLIENTS, (_i, w) => checkoutOnce(w, 0));
  const nextOf = new Array<number>(CLIENTS).fill(1);
  // What PostgreSQL's busy sessions are doing while the checkouts run, sampled every 100 ms: where
  // the time goes (running, or waiting for a lock, and on which statement).
  const samples = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    const probe = new pg.Client({ connectionString: databaseUrl });
    await probe.connect();
    while (sampling) {
      const { rows } = await probe.query<{ what: string }>(
        `select coalesce(wait_event_type || ':' || wait_event, 'running') || ' | ' ||
           regexp_replace(left(query, 70), '[[:space:]]+', ' ', 'g') as what
         from pg_stat_activity
         where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`,
      );
      for (const r of rows) samples.set(r.what, (samples.get(r.what) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 100));
    }
    await probe.end();
  })();
  const checkouts = await burst(CLIENTS, CHECKOUTS, (_i, w) => checkoutOnce(w, nextOf[w]!++));
  sampling = false;
  await sampler;
  const retriedUnderLoad = retried;
  // One family alone: the latency of a checkout with nothing else running.
  const alone = await burst(1, SINGLE, (i) => checkoutOnce(CLIENTS, i));

  // The POS payment, same clients, same count: family w's card at the demo shop.
  const pos = await burst(CLIENTS, CHECKOUTS, async (_i, w) => {
    const answer = await chargeCard(gateway, cashier, {
      key: randomUUID(),
      accreditationId,
      fiscalCode: families[w]!.fiscalCode,
      amountCents: POS_AMOUNT,
    });
    return answer.data?.chargeCard
      ? null
      : `${answer.status} ${answer.errors?.[0]?.extensions?.code ?? 'NO_CODE'}`;
  });

  // After the run, from the databases and the fake Stripe: the holds left at once, and after the
  // recovery job has taken up what the clients left unfinished (none when every client saw its
  // checkout end), at most 2 minutes.
  const holdsAtEnd = (await pendingHolds(db)).length;
  const unfinished = async () =>
    (
      await db.query<{ n: number }>(
        `select count(*)::int as n from payments.checkout where status not in ('PAID', 'FAILED')`,
      )
    ).rows[0]!.n;
  const unfinishedAtEnd = await unfinished();
  const waitStarted = performance.now();
  while ((await unfinished()) > 0 && performance.now() - waitStarted < 120_000)
    await new Promise((r) => setTimeout(r, 1_000));
  const waited = (performance.now() - waitStarted) / 1000;
  const holdsLeft = await pendingHolds(db);
  const problems = await bookProblems(db);
  const { rows: statuses } = await db.query<{ status: string; n: number }>(
    `select status, count(*)::int as n from payments.checkout group by status order by status`,
  );
  const { rows: legs } = await db.query<{ kind: string; status: string; n: number }>(
    `select kind, status, count(*)::int as n from payments.checkout_leg
     group by kind, status order by kind, status`,
  );
  const intents = (await (await fetch(`${stripe}/__fake/objects/payment_intents`)).json()) as {
    data: { status: string }[];
  };
  const captured = intents.data.filter((i) => i.status === 'succeeded').length;

  console.log(
    `checkout benchmark: ${CLIENTS} families at once, ${CHECKOUTS} checkouts (+ ${warmUp.ms.length} warm-up, ` +
      `${failures(warmUp)} failed), ${availableParallelism()} CPUs; setup ${setup.toFixed(1)} s`,
  );
  console.log(
    `  each checkout: ${(PRICE / 100).toFixed(0)} € = two fund legs of ${(FUND_PART / 100).toFixed(0)} € ` +
      `(two public-welfare campaigns covering CHILDCARE) + a card leg of ${((PRICE - 2 * FUND_PART) / 100).toFixed(0)} € ` +
      `(startCheckout, the fake's /__fake/checkout/sessions/<id>/pay, refreshCheckout until PAID)`,
  );
  if (failures(warmUp))
    console.log(`  warm-up errors: ${JSON.stringify(Object.fromEntries(warmUp.errors))}`);
  console.log(line('checkout to PAID (through the gateway)', checkouts));
  console.log(
    `    answers without a definite outcome retried with the same checkout id: ${retriedUnderLoad}`,
  );
  console.log(line(`checkout to PAID, 1 client (${SINGLE} checkouts)`, alone));
  console.log(line(`POS chargeCard (${POS_AMOUNT / 100} €, same run, same clients)`, pos));
  console.log(
    `  ratio checkouts / POS payments: ${(rate(checkouts) / rate(pos)).toFixed(4)} ` +
      `(1 checkout = ${(rate(pos) / rate(checkouts)).toFixed(1)} POS payments' time)`,
  );
  console.log(
    `  holds left pending in the book after the run: ${holdsAtEnd} (${unfinishedAtEnd} checkouts unfinished)` +
      (unfinishedAtEnd
        ? `; after ${waited.toFixed(0)} s of the recovery job: ${holdsLeft.length}`
        : ''),
  );
  console.log(`  book invariants: ${problems.length === 0 ? 'ok' : problems.join('; ')}`);
  const sampled = [...samples.values()].reduce((a, b) => a + b, 0);
  console.log(
    `  PostgreSQL during the checkouts (${sampled} samples of busy sessions, every 100 ms), most frequent:`,
  );
  for (const [what, n] of [...samples].sort((a, b) => b[1] - a[1]).slice(0, 8))
    console.log(`    ${String(n).padStart(6)}  ${what}`);
  console.log(
    `  checkouts by status: ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}; legs: ` +
      `${legs.map((l) => `${l.kind} ${l.status} ${l.n}`).join(', ')}; card payments captured at the fake Stripe: ${captured}`,
  );
} finally {
  await db.end();
  await platform.stop();
  await postgres.teardown();
  await rm(work, { recursive: true, force: true });
}
