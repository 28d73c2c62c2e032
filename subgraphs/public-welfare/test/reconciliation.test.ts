import { randomUUID } from 'node:crypto';
import type { PersonCaller } from '@welfare/kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { book, deterministicId } from '../src/modules/ledger/ledger.js';
import { LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, COMUNE_B, caught, setupSuite, staff, type Suite } from './helpers.js';
import {
  accredit,
  applyAndApprove,
  available,
  citizen,
  expectMoneyReconciled,
  liveCard,
  manager,
  merchantPerson,
  operator,
  publishCampaign,
} from './money-world.js';

let suite: Suite;
const em = () => suite.orm.em.fork();
const mario = citizen(CF.mario);
const sara = citizen(CF.sara);
const pins = new Map<string, string>();

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []) {
  return suite.orm.em.getConnection().execute<T[]>(query, params);
}

/** A campaign where the holder is APPROVED, has a live card (PIN known) and a fresh shop. */
async function world(who: PersonCaller, fiscalCode: string, title: string) {
  const campaign = await publishCampaign(suite, { title });
  const application = await applyAndApprove(suite, who, campaign);
  expect(application.status).toBe('APPROVED');
  const { issued } = await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
  for (const i of issued) pins.set(i.fiscalCode, i.pin);
  const merchantId = randomUUID();
  const owner = merchantPerson(merchantId, 'OWNER');
  const cashier = merchantPerson(merchantId, 'CASHIER');
  const shop = await accredit(suite, owner, merchantId, campaign);
  return { campaign, application, shop, cashier, fiscalCode };
}

function pay(
  w: Awaited<ReturnType<typeof world>>,
  amountCents: number,
  key = randomUUID(),
  pin = pins.get(w.fiscalCode)!,
) {
  return suite.services.payments.charge(em(), w.cashier, {
    idempotencyKey: key,
    accreditationId: w.shop.id,
    card: { fiscalCode: w.fiscalCode },
    pin,
    amountCents,
    category: 'FOOD',
  });
}

async function replaceCard(fiscalCode: string) {
  const old = await liveCard(suite, fiscalCode);
  const { issued } = await suite.services.cards.replace(em(), operator, old.id);
  pins.set(fiscalCode, issued.pin);
  return { old, fresh: issued.card };
}

beforeAll(async () => {
  suite = await setupSuite('reconciliation');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
}, 120_000);

describe('defects above the book (issue 11)', () => {
  it('1. a void after a card replacement credits the new card, not the dead one', async () => {
    const w = await world(mario, CF.mario, 'Void dopo sostituzione');
    await suite.services.topUps.topUpApplication(em(), operator, w.application.id);
    const entitlement = w.application.amountCents!;
    const { payment } = await pay(w, 1_000);
    const { old, fresh } = await replaceCard(CF.mario);
    expect(await available(suite, fresh.id, w.campaign.id)).toBe(entitlement - 1_000);
    await suite.services.payments.voidPayment(em(), w.cashier, payment.id);
    expect(await available(suite, old.id, w.campaign.id)).toBe(0);
    expect(await available(suite, fresh.id, w.campaign.id)).toBe(entitlement);
    await expectMoneyReconciled(suite);
  });

  it('2. a top-up racing a replacement credits the replacement', async () => {
    const w = await world(sara, CF.sara, 'Ricarica durante sostituzione');
    const old = await liveCard(suite, CF.sara);
    let reached!: () => void;
    const inside = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // The replacement holds its transaction open (card locked, credit moved) until released.
    const replacing = suite.services.cards.replace(em(), operator, old.id, async (issued) => {
      reached();
      await gate;
      return issued;
    });
    await inside;
    const topping = suite.services.topUps.topUpApplication(em(), operator, w.application.id);
    // Wait until the top-up is blocked on a lock held by the replacement.
    for (let i = 0; i < 200; i++) {
      const [row] = await sql<{ n: string }>(
        `select count(*)::text as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if (Number(row!.n) > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    release();
    const { issued } = await replacing;
    pins.set(CF.sara, issued.pin);
    const result = await topping;
    expect(result.creditedCents).toBe(w.application.amountCents);
    expect(result.lines[0]!.cardId).toBe(issued.card.id);
    expect(await available(suite, old.id)).toBe(0);
    expect(await available(suite, issued.card.id, w.campaign.id)).toBe(w.application.amountCents);
    // A later tranche finds the tranche received, and nothing is left behind.
    const again = await suite.services.topUps.topUpApplication(em(), operator, w.application.id);
    expect(again.creditedCents).toBe(0);
    await expectMoneyReconciled(suite);
  });

  it('6. percent tranches round cumulatively: 50% + 50% of 20,001 cents credits 20,001', async () => {
    const w = await world(mario, CF.mario, 'Tranche percentuali');
    // An odd entitlement (the schedule gives round figures): 200.01 euro.
    await sql(`update "public_welfare"."application" set amount_cents = 20001 where id = ?`, [
      w.application.id,
    ]);
    const card = await liveCard(suite, CF.mario);
    const first = await suite.services.topUps.topUpApplication(em(), operator, w.application.id, {
      number: 1,
      percent: 50,
    });
    expect(first.creditedCents).toBe(10_000);
    const second = await suite.services.topUps.topUpApplication(em(), operator, w.application.id, {
      number: 2,
      percent: 50,
    });
    expect(second.creditedCents).toBe(10_001);
    expect(second.lines[0]!.totalCreditedCents).toBe(20_001);
    expect(await available(suite, card.id, w.campaign.id)).toBe(20_001);
    // Three thirds: 33% + 33% + 34% of 20,001 is 20,001 too, each share from the cumulative figure.
    const thirds = await world(sara, CF.sara, 'Tranche in terzi');
    await sql(`update "public_welfare"."application" set amount_cents = 20001 where id = ?`, [
      thirds.application.id,
    ]);
    const shares: number[] = [];
    for (const [number, percent] of [
      [1, 33],
      [2, 33],
      [3, 34],
    ] as const) {
      const r = await suite.services.topUps.topUpApplication(
        em(),
        operator,
        thirds.application.id,
        {
          number,
          percent,
        },
      );
      shares.push(r.creditedCents);
    }
    expect(shares).toEqual([6600, 13200 - 6600, 20001 - 13200]);
    await expectMoneyReconciled(suite);
  });

  it('8. a payment replay needs the PIN and answers the first result', async () => {
    const w = await world(mario, CF.mario, 'Replay con PIN');
    await suite.services.topUps.topUpApplication(em(), operator, w.application.id);
    const key = randomUUID();
    const first = await pay(w, 700, key);
    await pay(w, 300);
    const wrongPin = pins.get(CF.mario) === '000000' ? '111111' : '000000';
    const refused = await caught(() => pay(w, 700, key, wrongPin));
    expect(refused.code).toBe('CONFLICT');
    expect((refused as unknown as { reason: string }).reason).toBe('WRONG_PIN');
    const replay = await pay(w, 700, key);
    expect(replay.payment.id).toBe(first.payment.id);
    expect(replay.residualCents).toBe(first.residualCents);
    expect(await suite.count('payment')).toBeGreaterThan(0);
    await expectMoneyReconciled(suite);
  });
});

describe('under concurrency', () => {
  it('voids, replacements and top-ups racing on one holder leave all the credit on the live card', async () => {
    const w = await world(mario, CF.mario, 'Concorrenza');
    const entitlement = w.application.amountCents!;
    await suite.services.topUps.topUpApplication(em(), operator, w.application.id, {
      number: 1,
      percent: 50,
    });
    const payments = [];
    for (const amount of [300, 450, 700, 1_000]) payments.push((await pay(w, amount)).payment);
    // The card that paid is replaced first: every void below must follow the chain.
    await replaceCard(CF.mario);
    const replacements = (async () => {
      for (let i = 0; i < 3; i++) await replaceCard(CF.mario);
    })();
    const voids = Promise.all(
      payments.map((p) => suite.services.payments.voidPayment(em(), w.cashier, p.id)),
    );
    const topUps = Promise.all(
      [2, 3, 4].map((number) =>
        suite.services.topUps.topUpApplication(em(), operator, w.application.id, {
          number,
          percent: 10,
        }),
      ),
    );
    await Promise.all([replacements, voids, topUps]);
    const live = await liveCard(suite, CF.mario);
    // 50% + 3 × 10% of the entitlement, every payment voided: all of it on the live card.
    expect(await available(suite, live.id, w.campaign.id)).toBe(
      Math.floor((entitlement * 80) / 100),
    );
    const [dead] = await sql<{ n: string }>(
      `select coalesce(sum(a.credits_posted - a.debits_posted), 0)::text as n
         from "public_welfare"."card" c
         join "public_welfare"."book_account" a on a.code = 'card:' || c.id || ':campaign:' || ?
        where c.status = 'REPLACED'`,
      [w.campaign.id],
    );
    expect(Number(dead!.n)).toBe(0);
    await expectMoneyReconciled(suite);
  });

  it('a top-up whose card is replaced twice while it waits follows the chain to the live card', async () => {
    const w = await world(sara, CF.sara, 'Due sostituzioni in attesa');
    const first = await liveCard(suite, CF.sara);
    // The first replacement holds its transaction open (card locked, credit moved) until released.
    const r1 = heldReplacement(first.id);
    await r1.reached;
    // The top-up's second read of the cards (the successor's row) meets a second replacement,
    // which holds the successor locked the same way while the read waits: the interleaving of a
    // loaded machine, forced.
    let second: HeldReplacement | undefined;
    const connection = suite.orm.em.getConnection();
    const execute = connection.execute.bind(connection);
    let cardReads = 0;
    connection.execute = (async (...args: Parameters<typeof execute>) => {
      const query = typeof args[0] === 'string' ? args[0] : '';
      if (!/"card"/.test(query) || !/for key share/i.test(query) || ++cardReads !== 2) {
        return execute(...args);
      }
      const successor = await liveCard(suite, CF.sara);
      second = heldReplacement(successor.id);
      await second.reached;
      const reading = execute(...args);
      await blockedOnALock();
      second.release();
      return reading;
    }) as typeof connection.execute;
    try {
      const topping = suite.services.topUps.topUpApplication(em(), operator, w.application.id);
      await blockedOnALock();
      r1.release();
      const result = await topping;
      const { issued: middle } = await r1.done;
      expect(second).toBeDefined();
      const { issued: last } = await second!.done;
      pins.set(CF.sara, last.pin);
      // Credited to the card live now, the third: nothing on the two replaced on the way.
      expect(result.withoutCard).toBe(0);
      expect(result.creditedCents).toBe(w.application.amountCents);
      expect(result.lines[0]!.cardId).toBe(last.card.id);
      expect(await available(suite, last.card.id, w.campaign.id)).toBe(w.application.amountCents);
      expect(await available(suite, first.id)).toBe(0);
      expect(await available(suite, middle.card.id)).toBe(0);
    } finally {
      connection.execute = execute;
    }
    await expectMoneyReconciled(suite);
  });
});

interface HeldReplacement {
  /** Resolves once the replacement holds the card locked, its credit moved, uncommitted. */
  reached: Promise<void>;
  /** Lets it commit. */
  release: () => void;
  done: ReturnType<Suite['services']['cards']['replace']>;
}

/** A replacement of the card that waits, inside its transaction, until released. */
function heldReplacement(cardId: string): HeldReplacement {
  let reached!: () => void;
  const inside = new Promise<void>((r) => (reached = r));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const done = suite.services.cards.replace(em(), operator, cardId, async (issued) => {
    reached();
    await gate;
    return issued;
  });
  return { reached: inside, release, done };
}

/** Waits until a statement of the suite's database waits for a lock (5 s at most, then fails). */
async function blockedOnALock(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [row] = await sql<{ n: string }>(
      `select count(*)::text as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (Number(row!.n) > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('nothing waited for a lock');
}

describe('the reconciliation, stored and shown', () => {
  it('a MANAGER runs it on demand and reads the latest run; others are refused', async () => {
    const report = await suite.services.reconciliation.runOnDemand(em(), manager, COMUNE_A);
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    const latest = await suite.services.reconciliation.latest(em(), manager, COMUNE_A);
    expect(latest?.id).toBe(report.id);
    expect(latest?.trigger).toBe('ON_DEMAND');
    const runs = await suite.count('money_reconciliation');
    for (const who of [operator, staff(COMUNE_B, 'MANAGER'), mario]) {
      expect(
        (await caught(() => suite.services.reconciliation.runOnDemand(em(), who, COMUNE_A))).code,
      ).toBe('FORBIDDEN');
      expect(
        (await caught(() => suite.services.reconciliation.latest(em(), who, COMUNE_A))).code,
      ).toBe('FORBIDDEN');
      expect((await caught(() => suite.services.reconciliation.alerts(em(), who))).code).toBe(
        'FORBIDDEN',
      );
    }
    expect(await suite.count('money_reconciliation')).toBe(runs);
  });

  it('catches what the book cannot: credit left on a replaced card, credit on an unfunded application', async () => {
    const w = await world(sara, CF.sara, 'Manomissione');
    await suite.services.topUps.topUpApplication(em(), operator, w.application.id, {
      number: 1,
      percent: 50,
    });
    const { old } = await replaceCard(CF.sara);
    // What defect 2 did: a tranche credited to the replaced card after the replacement.
    const fund = await book.openAccount(em(), {
      code: `campaign:${w.campaign.id}:fund`,
      kind: 'FUND',
    });
    const oldAccount = await book.openAccount(em(), {
      code: `card:${old.id}:campaign:${w.campaign.id}`,
      kind: 'HOLDER',
    });
    await book.transfer(em(), {
      id: deterministicId('topup', w.application.id, 2),
      debit: fund.id,
      credit: oldAccount.id,
      amount: 500,
      code: 'TOPUP',
      reference: `application:${w.application.id}`,
    });
    // What defect 4 did: a credited application un-approved by a ranking.
    await sql(
      `update "public_welfare"."application" set status = 'ELIGIBLE_NOT_FUNDED' where id = ?`,
      [w.application.id],
    );
    // The book itself is still balanced: only the checks above it see the damage.
    expect((await book.checkInvariants(em())).ok).toBe(true);
    const report = await suite.services.reconciliation.runFor(em(), COMUNE_A, 'SCHEDULER');
    expect(report.ok).toBe(false);
    const found = report.problems.map((p) => `${p.check} ${p.subject}`).sort();
    expect(found).toEqual(
      [
        `CREDIT_EQUALS_TRANCHES application:${w.application.id}`,
        `CREDIT_ONLY_APPROVED application:${w.application.id}`,
        `NO_CREDIT_ON_REPLACED_CARD card:${old.id}`,
      ].sort(),
    );
    for (const p of report.problems) {
      expect(p.message.it.length).toBeGreaterThan(10);
      expect(p.message.en.length).toBeGreaterThan(10);
    }
    const admin: PersonCaller = { ...staff(COMUNE_B), platformAdmin: true, memberships: [] };
    const alerts = await suite.services.reconciliation.alerts(em(), admin);
    expect(alerts.map((a) => a.comuneId)).toEqual([COMUNE_A]);
    expect(alerts[0]!.problems).toHaveLength(3);
    const latest = await suite.services.reconciliation.latest(em(), manager, COMUNE_A);
    expect(latest?.ok).toBe(false);
  });
});
