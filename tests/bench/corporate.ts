// `npm run bench -- corporate` (issue 16, "Benchmarks"). Asserts nothing; prints:
// 1. the enrolment of BENCH_EMPLOYEES (10,000) employees of Officine Rossi by CSV streamed through
//    the gateway into corporate-welfare: rows per second until the job SUCCEEDED and the
//    subgraph's peak memory (VmHWM, the resident set's high-water mark, from /proc/<pid>/status);
//    then the same file again (idempotent: nothing changes);
// 2. crediting the whole plan at its start: `fundWelfarePlan` through the gateway (FUNDING into the
//    pool and one CREDIT per employee, in one transaction): seconds and employees per second;
// 3. plan-credit checkouts at BENCH_CLIENTS (50) clients, each an employee paying its own bookings
//    one after the other, wholly with plan credit (the fund contract: hold, capture; no card):
//    BENCH_CHECKOUTS (1,000) checkouts to PAID, checkouts per second and p50/p95/p99; then, in the
//    same run, the POS payment (`chargeCard`, 1 €) at as many clients, as many payments, and the
//    ratio of the two rates;
// 4. after the run: holds left pending in both books and the books' invariants.
// Seeding: the plan's row and categories with SQL (published, with a regulation: the plan
// editor's steps are the browser test's), the POS families' applications and cards with SQL (as the
// checkout benchmark), everything else through the gateway.
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
  offerTitled,
  type Checkout,
  type CheckoutPart,
} from '../support/checkout.js';
import { citizenToken } from '../support/citizen.js';
import {
  employeeFiscalCode,
  enrol,
  enrolmentCsv,
  peakMemoryMb,
} from '../support/corporate-enrolment.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  demoEmail,
  staffEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import {
  accreditShop,
  bookProblems,
  chargeCard,
  creditCampaign,
  pendingHolds,
  seedCards,
} from '../support/money.js';
import { burst, failures, line, rate } from './lib.js';

const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const CHECKOUTS = Number(process.env.BENCH_CHECKOUTS ?? 1_000);
/** Bookings per employee: one a day, warm-up included. */
const PER_CLIENT = Math.ceil(CHECKOUTS / CLIENTS) + 1;
const PRICE = 8_000; // "Centro estivo per bambini": 80 € a week, paid wholly with plan credit
const CREDIT = PRICE * (PER_CLIENT + 2); // each employee's credit: never the limit
const POS_AMOUNT = 100;
const EMPLOYER = DEMO_ORG.officineRossi;
const PLAN_ID = randomUUID();
const GIVEN = ['Mario', 'Anna', 'Luca', 'Rosa', 'Pietro', 'Sara', 'Gino', 'Carla', 'Ugo', 'Ida'];
const FAMILY = ['Rossi', 'Bianchi', 'Verdi', 'Neri', 'Russo', 'Greco', 'Bruno', 'Gallo'];

const postgres = await startTestPostgres();
const work = await mkdtemp(join(tmpdir(), 'welfare-bench-corporate-'));
const databaseUrl = await createTestDatabase(postgres.url, 'bench_corporate');
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
  const year = Number(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric' }).format(
      new Date(),
    ),
  );
  // The plan: this year, services in kind for childcare, one category BENCH; published (its
  // regulation is a minimal PDF), not funded yet.
  await db.query(
    `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until,
       purposes, covered_categories, end_rule, regulation_file_name, regulation_content_type,
       regulation_size_bytes, regulation_sha256, regulation, published_at, created_by)
     values ($1, $2, 'Piano per la misura', $3, $4, $5, '{SERVICES_IN_KIND}', '{CHILDCARE}',
       'RETURN_TO_EMPLOYER', 'regolamento.pdf', 'application/pdf', 5, 'x', '\\x255044462d'::bytea,
       now(), $2)`,
    [PLAN_ID, EMPLOYER, year, `${year}-01-01`, `${year}-12-31`],
  );
  await db.query(
    `insert into corporate_welfare.plan_category (id, plan_id, code, name, criterion, credit_cents)
     values (gen_random_uuid(), $1, 'BENCH', 'Tutti', 'Tutti i dipendenti', $2)`,
    [PLAN_ID, CREDIT],
  );

  // 1. Enrolment.
  const lines = Array.from({ length: EMPLOYEES }, (_, n) => {
    const given = GIVEN[n % GIVEN.length]!;
    const family = FAMILY[Math.floor(n / GIVEN.length) % FAMILY.length]!;
    return `${employeeFiscalCode(n, 'C')};${given};${family};;BENCH;01/01/2025;${n % 3};`;
  });
  const file = enrolmentCsv(lines);
  const hr = await login(gateway, staffEmail('officineRossi', 'HR'), DEMO_PASSWORD);
  const pid = platform.pid('corporate-welfare');
  const before = await peakMemoryMb(pid);
  const first = await enrol(gateway, hr.token, EMPLOYER, file);
  const afterFirst = await peakMemoryMb(pid);
  const again = await enrol(gateway, hr.token, EMPLOYER, file);
  const afterAgain = await peakMemoryMb(pid);

  // 2. Crediting the whole plan at its start.
  const t0 = performance.now();
  const funded = await gql<{ fundWelfarePlan: { status: string } }>(
    gateway,
    `mutation ($id: ID!) { fundWelfarePlan(id: $id) { status } }`,
    { id: PLAN_ID },
    { token: hr.token },
  );
  const fundSeconds = (performance.now() - t0) / 1000;
  const { rows: credited } = await db.query<{ n: number; cents: string }>(
    `select count(*)::int as n, coalesce(sum(credits_posted - debits_posted), 0)::text as cents
       from corporate_welfare.book_account where owner_kind = 'employee' and scope_id = $1`,
    [PLAN_ID],
  );

  // 3. Checkouts with plan credit: CLIENTS + 1 employees log in and book the offer, one a day.
  const pay = checkoutClient(gateway, platform.urls.stripe!);
  const laEsse = (await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD)).token;
  const offerId = await offerTitled(gateway, laEsse, 'Centro estivo per bambini');
  await db.query(`update third_sector.offer set capacity = 200 where id = $1`, [offerId]);
  const tokens: string[] = [];
  const bookings: string[][] = [];
  for (let f = 0; f < CLIENTS; f += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, CLIENTS - f) }, async (_, i) => {
        const token = await citizenToken(platform, employeeFiscalCode(f + i, 'C'));
        tokens[f + i] = token;
        const mine: string[] = [];
        for (let day = 1; day <= PER_CLIENT; day += 1)
          mine.push(await pay.book(token, offerId, dayAhead(day), 1));
        bookings[f + i] = mine;
      }),
    );
  }
  const parts: CheckoutPart[] = [
    { owner: 'corporate-welfare', fundId: PLAN_ID, amountCents: PRICE },
  ];
  let retried = 0;
  /** One checkout to PAID, an answer without a definite outcome retried with the same id. */
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
    const legs = checkout.legs.map((l) => `${l.kind}:${l.amountCents}`).join(',');
    if (legs !== `FUND:${PRICE}`) return `split ${legs}`;
    const deadline = Date.now() + 120_000;
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      if (checkout?.status === 'PAID') return null;
      if (checkout?.status === 'FAILED') return `FAILED ${checkout.failureReason}`;
      await new Promise((r) => setTimeout(r, Math.min(500, 25 * 2 ** attempt)));
      const answer = await pay.refreshRaw(token, checkoutId);
      const code = answer.errors?.[0]?.extensions?.code;
      if (!answer.data?.refreshCheckout && code !== 'SERVICE_UNAVAILABLE')
        return `refresh ${code ?? answer.status}`;
      if (!answer.data?.refreshCheckout) retried += 1;
      checkout = answer.data?.refreshCheckout ?? checkout;
    }
    return 'not PAID after 2 minutes';
  };
  const warmUp = await burst(CLIENTS, CLIENTS, (_i, w) => checkoutOnce(w, 0));
  const nextOf = new Array<number>(CLIENTS).fill(1);
  const checkouts = await burst(CLIENTS, CHECKOUTS, (_i, w) => checkoutOnce(w, nextOf[w]!++));

  // The POS side, same clients, same count: a family's card at the demo shop.
  const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
  const families = await seedCards(db, {
    dataDir: work,
    comuneId: DEMO_COMUNE_ID,
    campaignId: DEMO_CAMPAIGN_ID,
    staffId: manager.viewer.person.id,
    count: CLIENTS,
    amountCents: 1_000_000,
  });
  await creditCampaign(gateway, manager.token, DEMO_CAMPAIGN_ID, CLIENTS * 1_000_000 + 10_000_000);
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

  // 4. After the run.
  const holds =
    (await pendingHolds(db)).length + (await pendingHolds(db, 'corporate_welfare')).length;
  const problems = await bookProblems(db);

  console.log(
    `\ncorporate welfare benchmark: ${EMPLOYEES} employees, ${CLIENTS} clients, ${availableParallelism()} CPUs`,
  );
  console.log(
    `\n1. enrolment of ${EMPLOYEES} employees (${(file.length / 1e6).toFixed(2)} MB) through the gateway`,
  );
  console.log(
    `  first import:  ${first.job.status} in ${first.seconds.toFixed(2)} s, ${(EMPLOYEES / first.seconds).toFixed(0)} rows/s ` +
      `(${first.job.rowsCreated} created, ${first.job.rowsRejected} rejected)`,
  );
  console.log(
    `  same file:     ${again.job.status} in ${again.seconds.toFixed(2)} s, ${(EMPLOYEES / again.seconds).toFixed(0)} rows/s ` +
      `(${again.job.rowsCreated} created, ${again.job.rowsChanged} changed)`,
  );
  console.log(
    `  peak memory (VmHWM) of corporate-welfare: ${before.toFixed(0)} MB before, ${afterFirst.toFixed(0)} MB after the import, ${afterAgain.toFixed(0)} MB after the second`,
  );
  console.log(`\n2. crediting the whole plan at its start (fundWelfarePlan through the gateway)`);
  console.log(
    `  ${funded.data?.fundWelfarePlan.status ?? `refused ${JSON.stringify(funded.errors)}`} in ${fundSeconds.toFixed(2)} s: ` +
      `${credited[0]!.n} employees' accounts, ${(Number(credited[0]!.cents) / 100).toFixed(2)} € credited, ` +
      `${(credited[0]!.n / fundSeconds).toFixed(0)} employees/s`,
  );
  console.log(
    `\n3. checkouts paid wholly with plan credit (${PRICE / 100} €, the fund contract; + ${warmUp.ms.length} warm-up, ${failures(warmUp)} failed)`,
  );
  if (failures(warmUp))
    console.log(`  warm-up errors: ${JSON.stringify(Object.fromEntries(warmUp.errors))}`);
  console.log(line('checkout to PAID (through the gateway)', checkouts));
  console.log(
    `    answers without a definite outcome retried with the same checkout id: ${retried}`,
  );
  console.log(line(`POS chargeCard (${POS_AMOUNT / 100} €, same run, same clients)`, pos));
  console.log(
    `  ratio checkouts / POS payments: ${(rate(checkouts) / rate(pos)).toFixed(4)} ` +
      `(1 checkout = ${(rate(pos) / rate(checkouts)).toFixed(1)} POS payments' time)`,
  );
  console.log(`\n4. holds left pending in the books: ${holds}`);
  console.log(`  book invariants: ${problems.length === 0 ? 'ok' : problems.join('; ')}`);
} finally {
  await db.end();
  await platform.stop();
  await postgres.teardown();
  await rm(work, { recursive: true, force: true });
}
