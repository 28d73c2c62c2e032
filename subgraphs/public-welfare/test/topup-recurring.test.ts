import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError, createLogger, type PersonCaller } from '@welfare/kit';
import { romeDay } from '@welfare/kit/dates';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPublicWelfareConfig } from '../src/config.js';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { book } from '../src/modules/ledger/ledger.js';
import { TopUpScheduler } from '../src/modules/top-up/top-up-scheduler.js';
import {
  monthDay,
  recurringPercents,
  type RecurringTopUpInput,
} from '../src/modules/top-up/top-up-schedule.service.js';
import { createServices } from '../src/services.js';
import { LASTING_INCOME, PDF, campaignInput } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, COMUNE_B, caught, setupSuite, staff, type Suite } from './helpers.js';

let suite: Suite;
const em = () => suite.orm.em.fork();
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
const person = (fiscalCode: string): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships: [],
  fiscalCode,
});
const mario = person(CF.mario);
const sara = person(CF.sara);
const logger = createLogger('topup-recurring-test', 'silent');

let main: Campaign;
let draft: Campaign;
const apps: Record<'mario' | 'sara', string> = { mario: '', sara: '' };

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []) {
  return suite.orm.em.getConnection().execute<T[]>(query, params);
}

/** The suite's services with another clock (same database). */
const servicesAt = (at: Date) => createServices({ piiKey: randomBytes(32), now: () => at });

/** A scheduler pass with the credit reminders wired, at `at`. */
const passAt = (at: Date) => {
  const services = servicesAt(at);
  return new TopUpScheduler(
    suite.orm,
    services.topUpSchedule,
    { intervalMs: 60_000, batchSize: 20 },
    logger,
    undefined,
    services.creditReminders,
  ).runOnce();
};

/** A month after this one (YYYY-MM). */
function monthFrom(months: number): string {
  const [y, m] = romeDay(new Date()).split('-').map(Number);
  const index = y! * 12 + (m! - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const recurring = (over: Partial<RecurringTopUpInput> = {}): RecurringTopUpInput => ({
  campaignId: main.id,
  startMonth: monthFrom(1),
  dayOfMonth: 1,
  months: 6,
  ...over,
});

const fieldsOf = async (fn: () => Promise<unknown>) => {
  const err = await caught(fn);
  expect(err.code).toBe('BAD_USER_INPUT');
  for (const f of err.fields) {
    expect(f.message.it.length).toBeGreaterThan(0);
    expect(f.message.en.length).toBeGreaterThan(0);
  }
  return err.fields.map((f) => f.field).sort();
};

/** The credit reminders written, by recipient (codice fiscale hash) and language. */
async function reminders(campaignId: string) {
  return sql<{ recipient: string; language: string; subject: string; body: string }>(
    `select recipient, language, subject, body from "public_welfare"."message"
      where template = 'CREDIT_EXPIRING' and campaign_id = ? order by recipient`,
    [campaignId],
  );
}

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
  suite = await setupSuite('topup_recurring');
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
  apps.mario = (await apply(mario, main)).id;
  apps.sara = (await apply(sara, main)).id;
  await suite.services.cases.bulkApprove(em(), operator, [apps.mario, apps.sara]);
  const { issued } = await suite.services.cards.issueForCampaign(em(), operator, main.id);
  expect(issued.length).toBe(2);
}, 120_000);

afterAll(async () => {
  await suite?.close();
});

afterEach(async () => {
  const report = await book.checkInvariants(em());
  expect(report.problems).toEqual([]);
  expect(await suite.services.reconciliation.check(em(), COMUNE_A)).toEqual([]);
});

describe('recurring top-ups', () => {
  it('spreads 100% over the months with cumulative rounding, and clamps days 29 to 31', () => {
    expect(recurringPercents(6)).toEqual([17, 16, 17, 17, 16, 17]);
    for (let n = 2; n <= 20; n++) {
      const percents = recurringPercents(n);
      expect(percents.length).toBe(n);
      expect(percents.reduce((s, p) => s + p, 0)).toBe(100);
      expect(Math.max(...percents) - Math.min(...percents)).toBeLessThanOrEqual(1);
    }
    expect(monthDay(2027, 2, 31)).toBe('2027-02-28');
    expect(monthDay(2028, 2, 30)).toBe('2028-02-29');
    expect(monthDay(2027, 4, 31)).toBe('2027-04-30');
    expect(monthDay(2027, 12, 31)).toBe('2027-12-31');
    expect(monthDay(2027, 3, 1)).toBe('2027-03-01');
  });

  it('refuses bad fields, past days, days after the window and numbers beyond 20, writing nothing', async () => {
    const before = await suite.count('topup_schedule');
    const s = suite.services.topUpSchedule;
    expect(
      await fieldsOf(() =>
        s.scheduleRecurring(em(), operator, recurring({ startMonth: '2027-13' })),
      ),
    ).toEqual(['startMonth']);
    expect(
      await fieldsOf(() =>
        s.scheduleRecurring(em(), operator, recurring({ startMonth: 'gennaio' })),
      ),
    ).toEqual(['startMonth']);
    expect(
      await fieldsOf(() =>
        s.scheduleRecurring(em(), operator, recurring({ dayOfMonth: 0, months: 1 })),
      ),
    ).toEqual(['dayOfMonth', 'months']);
    expect(
      await fieldsOf(() =>
        s.scheduleRecurring(em(), operator, recurring({ dayOfMonth: 32, months: 21 })),
      ),
    ).toEqual(['dayOfMonth', 'months']);
    // The first day last month: past.
    expect(
      await fieldsOf(() =>
        s.scheduleRecurring(em(), operator, recurring({ startMonth: monthFrom(-1) })),
      ),
    ).toEqual(['startMonth']);
    // The window ends on 2030-12-31: from August 2030 for 6 months ends in January 2031.
    const late = await caught(() =>
      s.scheduleRecurring(em(), operator, recurring({ startMonth: '2030-08', months: 6 })),
    );
    expect(late.fields.map((f) => f.field)).toEqual(['months']);
    expect(late.fields[0]!.message.it).toBe(
      'L’ultima rata cadrebbe il 01/01/2031, oltre la fine del periodo di spesa (31/12/2030).',
    );
    // The plan is refused the same way.
    expect(
      await fieldsOf(() => s.planRecurring(em(), operator, recurring({ startMonth: '2030-08' }))),
    ).toEqual(['months']);
    expect(
      (await caught(() => s.scheduleRecurring(em(), operator, recurring({ campaignId: draft.id }))))
        .code,
    ).toBe('CONFLICT');
    for (const who of [operatorB, mario])
      expect((await caught(() => s.planRecurring(em(), who, recurring()))).code).toBe('NOT_FOUND');
    expect(await suite.count('topup_schedule')).toBe(before);
  });

  it('plans without writing, then schedules the tranches at once, each cancellable; the total credits the whole entitlement', async () => {
    const s = suite.services.topUpSchedule;
    const start = monthFrom(2);
    const [y, m] = start.split('-').map(Number);
    const plan = await s.planRecurring(
      em(),
      operator,
      recurring({ startMonth: start, dayOfMonth: 31, months: 3 }),
    );
    expect(await suite.count('topup_schedule')).toBe(0);
    expect(plan.map((t) => t.number)).toEqual([1, 2, 3]);
    expect(plan.map((t) => t.percent)).toEqual([33, 34, 33]);
    expect(plan.map((t) => t.dueOn)).toEqual(
      [0, 1, 2].map((i) =>
        monthDay(y! + Math.floor((m! - 1 + i) / 12), ((m! - 1 + i) % 12) + 1, 31),
      ),
    );
    // Through the schema, as the gateway calls it.
    const written = await suite.run<{
      scheduleRecurringTopUps: { number: number; percent: number; dueOn: string; status: string }[];
    }>(
      `mutation($input: RecurringTopUpInput!) {
         scheduleRecurringTopUps(input: $input) { number percent dueOn status } }`,
      { input: recurring({ startMonth: start, dayOfMonth: 31, months: 3 }) },
      operator,
    );
    expect(written.errors).toBeUndefined();
    expect(written.data!.scheduleRecurringTopUps).toEqual(
      plan.map((t) => ({ ...t, status: 'PENDING' })),
    );
    // A second plan numbers after them; one beyond 20 is refused.
    const next = await s.planRecurring(em(), operator, recurring({ months: 2 }));
    expect(next.map((t) => t.number)).toEqual([4, 5]);
    expect(
      await fieldsOf(() => s.planRecurring(em(), operator, recurring({ months: 18 }))),
    ).toEqual(['months']);
    // Each is a scheduled tranche: the middle one cancelled.
    await s.cancel(em(), operator, main.id, 2);
    const view = await s.list(em(), operator, main.id);
    expect(view.tranches.map((t) => [t.number, t.status])).toEqual([
      [1, 'PENDING'],
      [2, 'CANCELLED'],
      [3, 'PENDING'],
    ]);
    // Schedule it again and let the scheduler credit all three after the last day.
    await s.schedule(em(), operator, {
      campaignId: main.id,
      number: 2,
      percent: 34,
      dueOn: plan[1]!.dueOn,
    });
    const after = new Date(`${plan[2]!.dueOn}T12:00:00Z`);
    const pass = await passAt(after);
    expect(pass).toMatchObject({ claimed: 3, done: 3, failed: 0 });
    const entitlements = await sql<{ amount_cents: string }>(
      `select amount_cents::text from "public_welfare"."application" where id = any(?::uuid[])`,
      [`{${apps.mario},${apps.sara}}`],
    );
    const total = entitlements.reduce((sum, a) => sum + Number(a.amount_cents), 0);
    expect(pass.creditedCents).toBe(total);
    // Cancel what the scheduler left (nothing PENDING).
    expect((await s.list(em(), operator, main.id)).tranches.every((t) => t.status === 'DONE')).toBe(
      true,
    );
  });
});

describe('credit expiry reminders', () => {
  it('writes each holder with credit one message, days before the window ends, in their language; not before, not after, not twice', async () => {
    // Mario reads English; the cards hold the whole entitlement (the test above).
    await suite.services.messageQueries.setLanguage(em(), mario, 'en');
    // Two weeks before the end (2030-12-31): not yet.
    expect(await passAt(new Date('2030-12-17T09:00:00Z'))).toMatchObject({ reminded: 0 });
    expect(await reminders(main.id)).toEqual([]);
    // Six days before: once each, in two passes at once.
    const at = new Date('2030-12-25T09:00:00Z');
    const both = await Promise.all([passAt(at), passAt(at)]);
    expect(both[0].reminded + both[1].reminded).toBe(2);
    const sent = await reminders(main.id);
    expect(sent.map((r) => r.language).sort()).toEqual(['en', 'it']);
    const english = sent.find((r) => r.language === 'en')!;
    const italian = sent.find((r) => r.language === 'it')!;
    expect(english.subject).toBe('The credit on your card expires on 31/12/2030');
    expect(english.body).toContain('to be spent by 31/12/2030 inclusive');
    expect(italian.subject).toBe('Il credito della Sua carta scade il 31/12/2030');
    expect(italian.body).toMatch(/restano \d{1,3}(\.\d{3})*,\d{2}\u00a0€ di «/);
    // Later passes: nothing more.
    expect(await passAt(new Date('2030-12-30T09:00:00Z'))).toMatchObject({ reminded: 0 });
    expect((await reminders(main.id)).length).toBe(2);
  });

  it('writes nothing for a card without credit, nor after the window ended', async () => {
    // A second campaign: cards issued, never topped up.
    const other = await suite.services.campaigns.publish(
      em(),
      manager,
      (
        await suite.services.campaigns.create(
          em(),
          operator,
          campaignInput(COMUNE_A, { title: 'Senza credito' }),
        )
      ).id,
    );
    const a = await apply(sara, other);
    await suite.services.cases.bulkApprove(em(), operator, [a.id]);
    await suite.services.cards.issueForCampaign(em(), operator, other.id);
    expect(await passAt(new Date('2030-12-28T09:00:00Z'))).toMatchObject({ reminded: 0 });
    expect(await reminders(other.id)).toEqual([]);
    // After the window: the reminders alone (no sweep), while the cards still hold credit, write
    // nothing for an ended campaign.
    await sql(`delete from "public_welfare"."message" where template = 'CREDIT_EXPIRING'`);
    const held = await book.accounts(suite.orm.em.fork(), {
      owner: { kind: 'card', scopeIds: [main.id], accountKind: 'HOLDER' },
    });
    expect(held.filter((a) => a.available > 0).length).toBe(2);
    const late = servicesAt(new Date('2031-01-02T09:00:00Z'));
    expect(await late.creditReminders.remind(suite.orm.em.fork())).toMatchObject({ reminded: 0 });
    expect(await reminders(main.id)).toEqual([]);
    // The same cards a day before the end are reminded: the check above can fail.
    const before = servicesAt(new Date('2030-12-30T09:00:00Z'));
    expect(await before.creditReminders.remind(suite.orm.em.fork())).toMatchObject({ reminded: 2 });
  });

  it('reminds 7 days before by default; CREDIT_EXPIRY_REMINDER_DAYS is validated', () => {
    const base = {
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      GATEWAY_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"abc"}',
    };
    expect(loadPublicWelfareConfig(base).creditExpiryReminderDays).toBe(7);
    expect(
      loadPublicWelfareConfig({ ...base, CREDIT_EXPIRY_REMINDER_DAYS: '14' })
        .creditExpiryReminderDays,
    ).toBe(14);
    for (const bad of ['0', '-1', '1.5', 'soon', '61'])
      expect(() => loadPublicWelfareConfig({ ...base, CREDIT_EXPIRY_REMINDER_DAYS: bad })).toThrow(
        ConfigError,
      );
  });
});
