import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError, createLogger, type Caller, type PersonCaller } from '@welfare/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPublicWelfareConfig } from '../src/config.js';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { book, deterministicId } from '../src/modules/ledger/ledger.js';
import { romeDay } from '@welfare/kit/dates';
import { TopUpScheduler } from '../src/modules/top-up/top-up-scheduler.js';
import type { ScheduleTopUpInput } from '../src/modules/top-up/top-up-schedule.service.js';
import { createServices, type Services } from '../src/services.js';
import { LASTING_INCOME, PDF, campaignInput } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { ANONYMOUS, COMUNE_A, COMUNE_B, caught, setupSuite, staff, type Suite } from './helpers.js';

let suite: Suite;
const em = () => suite.orm.em.fork();
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
const person = (memberships: PersonCaller['memberships'], fiscalCode?: string): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships,
  ...(fiscalCode ? { fiscalCode } : {}),
});
const mario = person([], CF.mario);
const sara = person([], CF.sara);
const merchant = person([
  { organisationId: randomUUID(), organisationKind: 'MERCHANT', role: 'OWNER' },
]);

const DAY = 86_400_000;
const today = () => romeDay(new Date());
const dayFrom = (days: number) => romeDay(new Date(Date.now() + days * DAY));
const logger = createLogger('topup-schedule-test', 'silent');

let main: Campaign;
let draft: Campaign;
const entitlements = new Map<string, number>();

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []) {
  return suite.orm.em.getConnection().execute<T[]>(query, params);
}

/** A scheduler on the suite's database, with the services (and their clock) given. */
const scheduler = (services: Services = suite.services) =>
  new TopUpScheduler(
    suite.orm,
    services.topUpSchedule,
    { intervalMs: 60_000, batchSize: 20 },
    logger,
  );

/** The suite's services with another clock (same database). */
const servicesAt = (at: Date) => createServices({ piiKey: randomBytes(32), now: () => at });

/** Rows that a refused operation must leave alone. */
async function written() {
  return {
    schedule: await suite.count('topup_schedule'),
    transfers: await suite.count('book_transfer'),
    accounts: await suite.count('book_account'),
    audit: await suite.count('audit_event'),
  };
}

/** TOPUP transfers of tranche `number` of the campaign's applications. */
async function trancheTransfers(campaignId: string, number: number): Promise<number> {
  const apps = await sql<{ id: string }>(
    `select id from "public_welfare"."application" where campaign_id = ?`,
    [campaignId],
  );
  const [row] = await sql<{ n: string }>(
    `select count(*)::text as n from "public_welfare"."book_transfer" where id = any(?::uuid[])`,
    [`{${apps.map((a) => deterministicId('topup', a.id, number)).join(',')}}`],
  );
  return Number(row!.n);
}

/** Credit left on every card of every campaign. */
async function cardCredit(campaignId = '%'): Promise<number> {
  const [row] = await sql<{ n: string }>(
    `select coalesce(sum(credits_posted - debits_posted - debits_pending), 0)::text as n
       from "public_welfare"."book_account" where kind = 'HOLDER' and code like ?`,
    [`card:%:campaign:${campaignId}`],
  );
  return Number(row!.n);
}

const input = (over: Partial<ScheduleTopUpInput> = {}): ScheduleTopUpInput => ({
  campaignId: main.id,
  number: 1,
  percent: 50,
  dueOn: today(),
  ...over,
});

const schedule = (caller: Caller, over: Partial<ScheduleTopUpInput> = {}) =>
  suite.services.topUpSchedule.schedule(em(), caller, input(over));

const fieldsOf = async (fn: () => Promise<unknown>) => {
  const err = await caught(fn);
  expect(err.code).toBe('BAD_USER_INPUT');
  for (const f of err.fields) {
    expect(f.message.it.length).toBeGreaterThan(0);
    expect(f.message.en.length).toBeGreaterThan(0);
  }
  return err.fields.map((f) => f.field).sort();
};

async function apply(who: PersonCaller, c: Campaign) {
  const d = await suite.services.applications.saveDraft(em(), who, {
    campaignId: c.id,
    privacyNoticeAcknowledged: true,
    acceptedDeclarations: ['TRUE'],
  });
  await suite.services.applications.addDocument(em(), who, d.id, {
    code: 'ID',
    fileName: 'ci.pdf',
    content: PDF,
  });
  return suite.services.applications.submit(em(), who, d.id);
}

beforeAll(async () => {
  suite = await setupSuite('topup_schedule');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  main = await suite.services.campaigns.publish(
    em(),
    manager,
    (await suite.services.campaigns.create(em(), operator, campaignInput(COMUNE_A))).id,
  );
  draft = await suite.services.campaigns.create(
    em(),
    operator,
    campaignInput(COMUNE_A, { title: 'Bozza' }),
  );
  const forMario = await apply(mario, main);
  const forSara = await apply(sara, main);
  await suite.services.cases.bulkApprove(em(), operator, [forMario.id, forSara.id]);
  for (const a of [forMario, forSara]) {
    const app = await suite.services.applications.get(em(), operator, a.id);
    expect(app!.status).toBe('APPROVED');
    entitlements.set(a.id, app!.amountCents!);
  }
  const { issued } = await suite.services.cards.issueForCampaign(em(), operator, main.id);
  expect(issued.length).toBe(2);
}, 120_000);

afterAll(async () => {
  await suite?.close();
});

afterEach(async () => {
  const report = await book.checkInvariants(em());
  expect(report.problems).toEqual([]);
  // And the checks above the book (issue 11): the reconciliation of the Comune's money.
  expect(await suite.services.reconciliation.check(em(), COMUNE_A)).toEqual([]);
  expect(report.ok).toBe(true);
});

describe('scheduling a tranche', () => {
  it('refuses every bad field with Italian and English messages, writing nothing', async () => {
    const before = await written();
    expect(await fieldsOf(() => schedule(operator, { number: 0 }))).toEqual(['number']);
    expect(await fieldsOf(() => schedule(operator, { number: 21 }))).toEqual(['number']);
    expect(await fieldsOf(() => schedule(operator, { number: 1.5 }))).toEqual(['number']);
    expect(await fieldsOf(() => schedule(operator, { percent: 0 }))).toEqual(['percent']);
    expect(await fieldsOf(() => schedule(operator, { percent: 101 }))).toEqual(['percent']);
    expect(await fieldsOf(() => schedule(operator, { dueOn: 'domani' }))).toEqual(['dueOn']);
    expect(await fieldsOf(() => schedule(operator, { dueOn: '2027-02-30' }))).toEqual(['dueOn']);
    // A past day, and a day after the spending window (2030-12-31).
    expect(await fieldsOf(() => schedule(operator, { dueOn: dayFrom(-1) }))).toEqual(['dueOn']);
    expect(await fieldsOf(() => schedule(operator, { dueOn: '2031-01-01' }))).toEqual(['dueOn']);
    expect(
      await fieldsOf(() => schedule(operator, { number: -3, percent: 150, dueOn: '' })),
    ).toEqual(['dueOn', 'number', 'percent']);
    // A DRAFT campaign: CONFLICT.
    expect((await caught(() => schedule(operator, { campaignId: draft.id }))).code).toBe(
      'CONFLICT',
    );
    expect(await written()).toEqual(before);
  });

  it('refuses another Comune, a merchant and a citizen (NOT_FOUND) and the anonymous, writing nothing', async () => {
    const ok = await schedule(operator, { number: 9, dueOn: dayFrom(3) });
    const before = await written();
    for (const who of [operatorB, merchant, mario]) {
      expect((await caught(() => schedule(who, { number: 8 }))).code).toBe('NOT_FOUND');
      expect((await caught(() => suite.services.topUpSchedule.list(em(), who, main.id))).code).toBe(
        'NOT_FOUND',
      );
      expect(
        (await caught(() => suite.services.topUpSchedule.cancel(em(), who, main.id, ok.number)))
          .code,
      ).toBe('NOT_FOUND');
    }
    expect((await caught(() => schedule(ANONYMOUS, { number: 8 }))).code).toBe('UNAUTHENTICATED');
    expect((await caught(() => schedule(operator, { campaignId: 'nope' }))).code).toBe('NOT_FOUND');
    expect(await written()).toEqual(before);
    // Through the schema, as the gateway calls it: another Comune sees nothing.
    const denied = await suite.run(
      `{ topUpSchedule(campaignId: "${main.id}") { tranches { number } } }`,
      {},
      operatorB,
    );
    expect(denied.errors?.[0]?.message).toBe('Campaign not found.');
    const seen = await suite.run<{
      topUpSchedule: { spendingUntil: string; tranches: { number: number; status: string }[] };
    }>(
      `{ topUpSchedule(campaignId: "${main.id}") { spendingUntil tranches { number status } } }`,
      {},
      operator,
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.topUpSchedule.spendingUntil).toBe('2030-12-31');
    expect(seen.data!.topUpSchedule.tranches).toEqual([{ number: 9, status: 'PENDING' }]);
    await suite.services.topUpSchedule.cancel(em(), operator, main.id, 9);
  });

  it('refuses a number already scheduled, and one already credited by hand', async () => {
    const first = await suite.run<{ scheduleTopUp: { number: number; status: string } }>(
      `mutation($input: ScheduleTopUpInput!) { scheduleTopUp(input: $input) { number status dueOn } }`,
      { input: { campaignId: main.id, number: 7, percent: 20, dueOn: dayFrom(5) } },
      manager,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.scheduleTopUp).toMatchObject({ number: 7, status: 'PENDING' });
    const before = await written();
    expect(await fieldsOf(() => schedule(operator, { number: 7 }))).toEqual(['number']);
    expect(await written()).toEqual(before);
    await suite.services.topUpSchedule.cancel(em(), operator, main.id, 7);
  });
});

describe('the scheduler', () => {
  it('applies a due tranche once, leaves a future one alone; the manual tranche stays idempotent', async () => {
    await schedule(operator, { number: 1, percent: 50, dueOn: today() });
    await schedule(operator, { number: 2, percent: 30, dueOn: dayFrom(1) });
    const expected = [...entitlements.values()].reduce((s, e) => s + Math.floor(e * 0.5), 0);
    const pass = await scheduler().runOnce();
    expect(pass).toMatchObject({ claimed: 1, done: 1, failed: 0, creditedCents: expected });
    expect(await cardCredit(main.id)).toBe(expected);
    expect(await trancheTransfers(main.id, 1)).toBe(2);
    expect(await trancheTransfers(main.id, 2)).toBe(0);
    // Again: nothing more.
    expect(await scheduler().runOnce()).toMatchObject({ claimed: 0, creditedCents: 0 });
    const view = await suite.services.topUpSchedule.list(em(), operator, main.id);
    expect(view.tranches.map((t) => [t.number, t.status, t.creditedCents])).toEqual([
      [1, 'DONE', expected],
      [2, 'PENDING', null],
      [7, 'CANCELLED', null],
      [9, 'CANCELLED', null],
    ]);
    expect(view.tranches[0]!.appliedAt).toBeInstanceOf(Date);
    // The audit log names the scheduler.
    const [audit] = await sql<{ n: string }>(
      `select count(*)::text as n from "public_welfare"."audit_event"
        where actor = 'service:topup-scheduler' and action = 'TOP_UP' and subject = ?`,
      [`campaign:${main.id}`],
    );
    expect(Number(audit!.n)).toBe(1);
    // The manual tranche 1 afterwards: a replay, nothing credited.
    const manual = await suite.services.topUps.topUpCampaign(em(), operator, main.id, {
      number: 1,
      percent: 50,
    });
    expect(manual.creditedCents).toBe(0);
    expect(await cardCredit(main.id)).toBe(expected);
    // A DONE tranche cannot be cancelled, nor scheduled again.
    expect(
      (await caught(() => suite.services.topUpSchedule.cancel(em(), operator, main.id, 1))).code,
    ).toBe('CONFLICT');
    expect(await fieldsOf(() => schedule(operator, { number: 1 }))).toEqual(['number']);
  });

  it('two passes at once apply each due tranche once', async () => {
    await schedule(operator, { number: 3, percent: 10, dueOn: today() });
    const before = await cardCredit(main.id);
    // Tomorrow's clock: tranches 2 (tomorrow) and 3 (today) are both due.
    const tomorrow = servicesAt(new Date(Date.now() + DAY));
    const passes = await Promise.all([
      scheduler(tomorrow).runOnce(),
      scheduler(tomorrow).runOnce(),
      scheduler(tomorrow).runOnce(),
    ]);
    expect(passes.reduce((s, p) => s + p.claimed, 0)).toBe(2);
    expect(passes.reduce((s, p) => s + p.done, 0)).toBe(2);
    const expected = [...entitlements.values()].reduce(
      (s, e) => s + Math.floor(e * 0.3) + Math.floor(e * 0.1),
      0,
    );
    expect(passes.reduce((s, p) => s + p.creditedCents, 0)).toBe(expected);
    expect(await cardCredit(main.id)).toBe(before + expected);
    expect(await trancheTransfers(main.id, 2)).toBe(2);
    expect(await trancheTransfers(main.id, 3)).toBe(2);
    const statuses = (await suite.services.topUpSchedule.list(em(), operator, main.id)).tranches
      .filter((t) => t.number === 2 || t.number === 3)
      .map((t) => t.status);
    expect(statuses).toEqual(['DONE', 'DONE']);
  });

  it('marks FAILED, with its reason, a tranche the fund cannot pay, writing nothing in the book; the manual tranche stays possible', async () => {
    const tight = await suite.services.campaigns.publish(
      em(),
      manager,
      (
        await suite.services.campaigns.create(
          em(),
          operator,
          campaignInput(COMUNE_A, { title: 'Fondo stretto', budgetCents: 5_000 }),
        )
      ).id,
    );
    // Seeded after the budget (the service would refuse such approvals): 4,000 cents each.
    const tag = randomUUID().slice(0, 8);
    const apps: unknown[] = [];
    const cards: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      apps.push(randomUUID(), tight.id, COMUNE_A, `tight-${tag}-${i}`, operator.personId);
      apps.push(`T-${tag}-${i}`);
      cards.push(
        randomUUID(),
        COMUNE_A,
        `7${String(Number.parseInt(tag, 16) % 1000).padStart(3, '0')}${String(i).padStart(12, '0')}`,
        `tight-${tag}-${i}`,
        randomBytes(16).toString('base64url'),
      );
    }
    await sql(
      `insert into "public_welfare"."application" (id, campaign_id, comune_id, status,
         applicant_fiscal_code_hash, applicant_fiscal_code_cipher, created_by, answers, checks,
         protocol_number, submitted_at, amount_cents, decided_at)
       values ${Array.from({ length: 2 }, () => `(?, ?, ?, 'APPROVED', ?, 'x', ?, '{}'::jsonb, '[]'::jsonb, ?, now(), 4000, now())`).join(', ')}`,
      apps,
    );
    await sql(
      `insert into "public_welfare"."card" (id, comune_id, number, holder_fiscal_code_hash,
         holder_fiscal_code_cipher, pin_hash, qr_nonce, issued_by)
       values ${Array.from({ length: 2 }, () => `(?, ?, ?, ?, 'x', '$argon2id$v=19$m=19456,t=2,p=1$x$y', ?, '${operator.personId}')`).join(', ')}`,
      cards,
    );
    await suite.services.topUpSchedule.schedule(em(), operator, {
      campaignId: tight.id,
      number: 1,
      percent: 100,
      dueOn: today(),
    });
    const transfers = await suite.count('book_transfer');
    const accounts = await suite.count('book_account');
    const pass = await scheduler().runOnce();
    expect(pass).toMatchObject({ claimed: 1, done: 0, failed: 1, creditedCents: 0 });
    expect(await suite.count('book_transfer')).toBe(transfers);
    expect(await suite.count('book_account')).toBe(accounts);
    const [failed] = (await suite.services.topUpSchedule.list(em(), operator, tight.id)).tranches;
    expect(failed).toMatchObject({
      status: 'FAILED',
      creditedCents: null,
      lastError: { it: 'Credito insufficiente.', en: 'Insufficient funds.' },
    });
    // Not tried again by the next pass.
    expect(await scheduler().runOnce()).toMatchObject({ claimed: 0 });
    // The Comune raises the budget; the manual tranche 1 credits it, once.
    await suite.services.cases.setBudget(em(), manager, tight.id, 10_000);
    const manual = await suite.services.topUps.topUpCampaign(em(), operator, tight.id, {
      number: 1,
    });
    expect(manual.creditedCents).toBe(8_000);
    expect(
      (await suite.services.topUps.topUpCampaign(em(), operator, tight.id, { number: 1 }))
        .creditedCents,
    ).toBe(0);
    // A FAILED schedule may be replaced, but not by a tranche credited meanwhile.
    expect(
      await fieldsOf(() =>
        suite.services.topUpSchedule.schedule(em(), operator, {
          campaignId: tight.id,
          number: 1,
          percent: 100,
          dueOn: today(),
        }),
      ),
    ).toEqual(['number']);
    const again = await suite.services.topUpSchedule.schedule(em(), operator, {
      campaignId: tight.id,
      number: 2,
      percent: 100,
      dueOn: dayFrom(10),
    });
    expect(again.status).toBe('PENDING');
  });

  it('cancels a PENDING tranche: the scheduler leaves it; it can be scheduled again', async () => {
    await schedule(manager, { number: 4, percent: 100, dueOn: dayFrom(2) });
    const before = await written();
    expect(
      (await caught(() => suite.services.topUpSchedule.cancel(em(), operator, main.id, 5))).code,
    ).toBe('NOT_FOUND');
    expect(
      (await caught(() => suite.services.topUpSchedule.cancel(em(), operator, main.id, 0))).code,
    ).toBe('BAD_USER_INPUT');
    expect(await written()).toEqual(before);
    const cancelled = await suite.services.topUpSchedule.cancel(em(), operator, main.id, 4);
    expect(cancelled).toMatchObject({ number: 4, status: 'CANCELLED' });
    expect(cancelled.cancelledAt).toBeInstanceOf(Date);
    expect(
      (await caught(() => suite.services.topUpSchedule.cancel(em(), operator, main.id, 4))).code,
    ).toBe('CONFLICT');
    const credit = await cardCredit(main.id);
    const inThreeDays = servicesAt(new Date(Date.now() + 3 * DAY));
    expect(await scheduler(inThreeDays).runOnce()).toMatchObject({ claimed: 0 });
    expect(await cardCredit(main.id)).toBe(credit);
    expect(await trancheTransfers(main.id, 4)).toBe(0);
    const again = await schedule(operator, { number: 4, percent: 100, dueOn: dayFrom(2) });
    expect(again).toMatchObject({ status: 'PENDING', cancelledAt: null, percent: 100 });
  });

  it('after the spending window, returns the unspent credit to the fund by itself, once; a tranche due too late FAILS', async () => {
    const left = await cardCredit();
    expect(left).toBeGreaterThan(0);
    const fundsBefore = await sql<{ code: string; available: string }>(
      `select code, (credits_posted - debits_posted)::text as available
         from "public_welfare"."book_account" where code = ?`,
      [`campaign:${main.id}:fund`],
    );
    const mainLeft = await cardCredit(main.id);
    // The window ends on 2030-12-31: the pass of 2 January 2031 sweeps every campaign here.
    const later = servicesAt(new Date('2031-01-02T10:00:00Z'));
    const pass = await scheduler(later).runOnce();
    // Tranche 4 of main (PENDING, due long ago) and 2 of the tight campaign are refused.
    expect(pass).toMatchObject({ claimed: 2, done: 0, failed: 2, returnedCents: left });
    expect(pass.sweptCampaigns).toBe(2);
    expect(await cardCredit()).toBe(0);
    const [fund] = await sql<{ available: string }>(
      `select (credits_posted - debits_posted)::text as available
         from "public_welfare"."book_account" where code = ?`,
      [`campaign:${main.id}:fund`],
    );
    expect(Number(fund!.available)).toBe(Number(fundsBefore[0]!.available) + mainLeft);
    const view = await later.topUpSchedule.list(em(), operator, main.id);
    expect(view.returnedCents).toBe(mainLeft);
    expect(view.returnedAt).toBeInstanceOf(Date);
    expect(view.tranches.find((t) => t.number === 4)).toMatchObject({
      status: 'FAILED',
      lastError: {
        it: 'Il periodo di spesa della campagna è finito: niente ricariche.',
        en: "The campaign's spending window is over: no top-ups.",
      },
    });
    const [sweeps] = await sql<{ n: string }>(
      `select count(*)::text as n from "public_welfare"."audit_event"
        where actor = 'service:topup-scheduler' and action = 'SWEEP'`,
    );
    expect(Number(sweeps!.n)).toBe(2);
    // Again, and two at once: nothing more moves, no new audit row.
    const before = await written();
    const again = await Promise.all([scheduler(later).runOnce(), scheduler(later).runOnce()]);
    for (const p of again) expect(p).toMatchObject({ claimed: 0, returnedCents: 0 });
    expect(await written()).toEqual(before);
    // Scheduling after the window: the day is past the window's end.
    expect(
      await fieldsOf(() =>
        later.topUpSchedule.schedule(em(), operator, input({ number: 12, dueOn: '2031-01-03' })),
      ),
    ).toEqual(['dueOn']);
  });
});

describe('the scheduler process', () => {
  it('starts, runs passes every interval and stops', async () => {
    await schedule(operator, { number: 11, percent: 5, dueOn: today() });
    const running = new TopUpScheduler(
      suite.orm,
      suite.services.topUpSchedule,
      { intervalMs: 100, batchSize: 5 },
      logger,
    );
    running.start();
    try {
      const deadline = Date.now() + 10_000;
      let status = 'PENDING';
      while (status === 'PENDING' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        const view = await suite.services.topUpSchedule.list(em(), operator, main.id);
        status = view.tranches.find((t) => t.number === 11)!.status;
      }
      expect(status).toBe('DONE');
    } finally {
      await running.stop();
    }
  });
});

describe('the scheduler configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
    GATEWAY_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"abc"}',
  };

  it('passes every minute by default; TOPUP_SCHEDULER_INTERVAL_MS is validated', () => {
    expect(loadPublicWelfareConfig(base).topUpScheduler.intervalMs).toBe(60_000);
    expect(
      loadPublicWelfareConfig({ ...base, TOPUP_SCHEDULER_INTERVAL_MS: '250' }).topUpScheduler
        .intervalMs,
    ).toBe(250);
    for (const bad of ['0', '-5', '1.5', 'soon', '99', '86400001']) {
      expect(() => loadPublicWelfareConfig({ ...base, TOPUP_SCHEDULER_INTERVAL_MS: bad })).toThrow(
        ConfigError,
      );
    }
  });
});
