import { randomUUID } from 'node:crypto';
import type { PersonCaller } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { createTestDatabase } from '@welfare/kit/testing';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { AuditService } from '../src/modules/audit/audit.service.js';
import { publicWelfareOrmSettings } from '../src/orm.js';
import { LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { ADMIN, COMUNE_A, COMUNE_B, errorCode, setupSuite, staff, type Suite } from './helpers.js';
import {
  accredit,
  applyAndApprove,
  citizen,
  liveCard,
  manager,
  merchantPerson,
  operator,
  publishCampaign,
} from './money-world.js';

let suite: Suite;
const em = () => suite.orm.em.fork();
const managerB = staff(COMUNE_B, 'MANAGER');
const mario = citizen(CF.mario);

interface Row {
  comune_id: string;
  actor: string;
  action: string;
  subject: string;
}
const lastRows = (n: number) =>
  suite.sql<Row>(
    `select "comune_id", "actor", "action", "subject" from "public_welfare"."audit_event" order by "seq" desc limit ?`,
    [n],
  );

const EVENTS = `query Events($filter: AuditEventFilter, $first: Int, $after: String) {
  publicWelfareAuditEvents(filter: $filter, first: $first, after: $after) {
    events { seq organisationId actor action subject at }
    nextCursor
  }
}`;
const CHAIN = `{ publicWelfareAuditChain { checkedAt rows brokenAt ok } }`;
type EventsData = {
  publicWelfareAuditEvents: {
    events: { organisationId: string; actor: string; action: string; subject: string }[];
    nextCursor: string | null;
  };
};

beforeAll(async () => {
  suite = await setupSuite('audit');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
}, 120_000);
afterAll(() => suite.close());

describe('the audit log in the kit', () => {
  it('keeps a chain written before the switch verifiable after it', async () => {
    const url = await createTestDatabase(
      inject('postgresServerUrl'),
      'public_welfare_audit_switch',
    );
    const orm = await openOrm(publicWelfareOrmSettings(url), { migrate: false });
    try {
      await orm.em.getConnection().execute('create schema if not exists "public_welfare"');
      await orm.getMigrator().up({ to: 'Migration20261206140000_book_hot_accounts' });
      const audit = new AuditService();
      // Written by the old trigger (public-welfare's own, before the kit's).
      for (const subject of ['household:1', 'household:2']) {
        await audit.record(orm.em.fork(), 'person:old', COMUNE_A, 'READ_INCOME', subject);
      }
      const [before] = await orm.em
        .getConnection()
        .execute<{ hash: string }[]>(
          `select "hash" from "public_welfare"."audit_event" order by "seq" desc limit 1`,
        );
      await orm.getMigrator().up();
      // Appended by the sealer's trigger (no lock, unsealed), then sealed onto the old chain.
      await audit.record(orm.em.fork(), 'person:new', COMUNE_A, 'READ_INCOME', 'household:3');
      expect(await audit.verifyChain(orm.em.fork())).toEqual({ rows: 2, brokenAt: undefined });
      expect(await audit.seal(orm.em.fork())).toEqual({ sealed: 1, skipped: 0, more: false });
      const rows = await orm.em
        .getConnection()
        .execute<{ hash: string; prev_hash: string }[]>(
          `select "hash", "prev_hash" from "public_welfare"."audit_event" order by "seq"`,
        );
      expect(rows[1]!.hash).toBe(before!.hash);
      expect(rows[2]!.prev_hash).toBe(before!.hash);
      // The numbers the old trigger left out are recorded as skipped: the whole chain verifies.
      expect(await audit.verifyChain(orm.em.fork())).toEqual({ rows: 3, brokenAt: undefined });
      // And back: the sealer's migration goes down (rows sealed, the old trigger again).
      await audit.record(orm.em.fork(), 'person:new', COMUNE_A, 'READ_INCOME', 'household:4');
      await orm
        .getMigrator()
        .down({ to: 'Migration20261206150000_privacy_notice_acknowledgement' });
      await audit.record(orm.em.fork(), 'person:old', COMUNE_A, 'READ_INCOME', 'household:5');
      const after = await orm.em
        .getConnection()
        .execute<{ hash: string | null; prev_hash: string }[]>(
          `select "hash", "prev_hash" from "public_welfare"."audit_event" order by "seq"`,
        );
      expect(after).toHaveLength(5);
      expect(after.every((r) => r.hash !== null)).toBe(true);
      expect(after[3]!.prev_hash).toBe(after[2]!.hash);
      expect(after[4]!.prev_hash).toBe(after[3]!.hash);
      // Up again: the chain sealed by `down` and extended by the old trigger verifies.
      await orm.getMigrator().up();
      expect(await audit.verifyChain(orm.em.fork())).toEqual({ rows: 5, brokenAt: undefined });
    } finally {
      await orm.close();
    }
  });
});

describe('events of the money (issue 14)', () => {
  it('records a payment and its void with the till user, and the PIN lock as the system', async () => {
    const campaign = await publishCampaign(suite, { title: 'Audit' });
    const application = await applyAndApprove(suite, mario, campaign);
    const { issued } = await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
    const pin = issued[0]!.pin;
    await suite.services.topUps.topUpApplication(em(), operator, application.id);
    const merchantId = randomUUID();
    const shop = await accredit(suite, merchantPerson(merchantId, 'OWNER'), merchantId, campaign);
    const cashier = merchantPerson(merchantId, 'CASHIER');
    const charge = (p: string) =>
      suite.services.payments.charge(em(), cashier, {
        idempotencyKey: randomUUID(),
        accreditationId: shop.id,
        card: { fiscalCode: CF.mario },
        pin: p,
        amountCents: 500,
        category: 'FOOD',
      });

    const { payment } = await charge(pin);
    expect((await lastRows(1))[0]).toEqual({
      comune_id: COMUNE_A,
      actor: `person:${cashier.personId}`,
      action: 'PAYMENT',
      subject: `payment:${payment.id}`,
    });
    await suite.services.payments.voidPayment(em(), cashier, payment.id);
    expect((await lastRows(1))[0]).toEqual({
      comune_id: COMUNE_A,
      actor: `person:${cashier.personId}`,
      action: 'VOID_PAYMENT',
      subject: `payment:${payment.id}`,
    });

    const wrong = pin === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) await expect(charge(wrong)).rejects.toThrow();
    const card = await liveCard(suite, CF.mario);
    expect(card.status).toBe('BLOCKED');
    expect((await lastRows(1))[0]).toEqual({
      comune_id: COMUNE_A,
      actor: 'system',
      action: 'PIN_LOCK',
      subject: `card:${card.id}`,
    });
  });
});

describe('reading the log (tenancy)', () => {
  it('shows a Comune’s manager their events only, the platform admin all, refuses anyone else', async () => {
    await suite.services.audit.record(em(), 'person:b', COMUNE_B, 'READ_INCOME', 'household:b');
    const mine = await suite.run<EventsData>(
      EVENTS,
      { filter: { organisationId: COMUNE_A }, first: 500 },
      manager,
    );
    expect(mine.errors).toBeUndefined();
    const events = mine.data!.publicWelfareAuditEvents.events;
    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.organisationId === COMUNE_A)).toBe(true);
    const payments = await suite.run<EventsData>(
      EVENTS,
      { filter: { organisationId: COMUNE_A, action: 'PAYMENT' } },
      manager,
    );
    expect(payments.data!.publicWelfareAuditEvents.events.map((e) => e.action)).toEqual([
      'PAYMENT',
    ]);
    const all = await suite.run<EventsData>(EVENTS, { first: 500 }, ADMIN);
    const comuni = new Set(all.data!.publicWelfareAuditEvents.events.map((e) => e.organisationId));
    expect([...comuni].sort()).toEqual([COMUNE_A, COMUNE_B].sort());

    const refused: [PersonCaller, Record<string, unknown>][] = [
      [operator, { organisationId: COMUNE_A }],
      [managerB, { organisationId: COMUNE_A }],
      [manager, {}],
      [mario, { organisationId: COMUNE_A }],
    ];
    for (const [caller, filter] of refused) {
      expect(errorCode(await suite.run(EVENTS, { filter }, caller))).toBe('FORBIDDEN');
    }
    expect(errorCode(await suite.run(CHAIN, {}, manager))).toBe('FORBIDDEN');
  });

  it('records a cross-tenant refusal although the request fails', async () => {
    const uninstall = suite.services.audit.watchTenancy(suite.orm.em, {
      error: (err: unknown) => {
        throw err;
      },
    });
    try {
      const intruder = staff(COMUNE_B, 'MANAGER');
      const result = await suite.run(
        `query ($c: ID!) { moneyReconciliation(comuneId: $c) { ok } }`,
        { c: COMUNE_A },
        intruder,
      );
      expect(errorCode(result)).toBe('FORBIDDEN');
      await suite.services.audit.settled();
      expect((await lastRows(1))[0]).toEqual({
        comune_id: COMUNE_A,
        actor: `person:${intruder.personId}`,
        action: 'TENANCY_REFUSED',
        subject: `comune:${COMUNE_A}`,
      });
    } finally {
      uninstall();
    }
  });
});

describe('the scheduled verification (issue 14)', () => {
  it('reports a row tampered with behind the trigger to the platform admin', async () => {
    // The sealer's pass (a subgraph runs it every second): the rows join the chain.
    await suite.services.audit.seal(em(), 1);
    expect((await suite.services.audit.checkAndStore(em())).brokenAt).toBeNull();
    const intact = await suite.run<{ publicWelfareAuditChain: { ok: boolean } }>(CHAIN, {}, ADMIN);
    expect(intact.data!.publicWelfareAuditChain.ok).toBe(true);
    const [victim] = await suite.sql<{ seq: string }>(
      `select "seq" from "public_welfare"."audit_event" where "action" = 'PAYMENT' limit 1`,
    );
    await suite.sql(`alter table "public_welfare"."audit_event" disable trigger user`);
    try {
      await suite.sql(
        `update "public_welfare"."audit_event" set "actor" = 'person:someone-else' where "seq" = ?`,
        [victim!.seq],
      );
    } finally {
      await suite.sql(`alter table "public_welfare"."audit_event" enable trigger user`);
    }
    await suite.services.audit.checkAndStore(em());
    const broken = await suite.run<{
      publicWelfareAuditChain: { ok: boolean; brokenAt: number; rows: number };
    }>(CHAIN, {}, ADMIN);
    expect(broken.data!.publicWelfareAuditChain).toMatchObject({
      ok: false,
      brokenAt: Number(victim!.seq),
    });
  });
});
