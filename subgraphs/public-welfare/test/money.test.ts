import { randomBytes, randomUUID } from 'node:crypto';
import type { PersonCaller, Role } from '@welfare/kit';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Application } from '../src/modules/application/application.entity.js';
import { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { Card } from '../src/modules/card/card.entity.js';
import { book } from '../src/modules/ledger/ledger.js';
import type { ChargeInput } from '../src/modules/payment/payment.service.js';
import type { ShopAccreditation } from '../src/modules/shop/shop.entity.js';
import { LASTING_INCOME, PDF, campaignInput } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, COMUNE_B, caught, errorCode, setupSuite, staff, type Suite } from './helpers.js';

let suite: Suite;
const em = () => suite.orm.em.fork();
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
const citizen = (fiscalCode: string): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships: [],
  fiscalCode,
});
const merchantPerson = (merchantId: string, role: Role): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships: [{ organisationId: merchantId, organisationKind: 'MERCHANT', role }],
});
const mario = citizen(CF.mario);
const sara = citizen(CF.sara);
const SHOP_A = randomUUID();
const SHOP_B = randomUUID();
const ownerA = merchantPerson(SHOP_A, 'OWNER');
const cashierA = merchantPerson(SHOP_A, 'CASHIER');
const ownerB = merchantPerson(SHOP_B, 'OWNER');
const cashierB = merchantPerson(SHOP_B, 'CASHIER');

let main: Campaign;
let early: Campaign;
const apps = new Map<string, Application>();
const pins = new Map<string, string>();
let shopA: ShopAccreditation;
let shopAEarly: ShopAccreditation;
let shopB: ShopAccreditation;

async function apply(who: PersonCaller, c: Campaign): Promise<Application> {
  const draft = await suite.services.applications.saveDraft(em(), who, {
    campaignId: c.id,
    privacyNoticeAcknowledged: true,
    acceptedDeclarations: ['TRUE'],
  });
  await suite.services.applications.addDocument(em(), who, draft.id, {
    code: 'ID',
    fileName: 'ci.pdf',
    content: PDF,
  });
  return suite.services.applications.submit(em(), who, draft.id);
}

const cardOf = (fiscalCode: string) =>
  em().findOneOrFail(Card, {
    holderFiscalCodeHash: suite.services.applications.fiscalCodeHash(fiscalCode),
    status: { $ne: 'REPLACED' },
  });

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []) {
  return suite.orm.em.getConnection().execute<T[]>(query, params);
}

/** Rows that a refused operation must leave alone. */
async function written() {
  return {
    payments: await suite.count('payment'),
    transfers: await suite.count('book_transfer'),
    messages: await suite.count('message'),
  };
}

async function available(cardId: string, campaignId?: string): Promise<number> {
  const [row] = await sql<{ n: string }>(
    `select coalesce(sum(credits_posted - debits_posted - debits_pending), 0)::text as n
       from "public_welfare"."book_account" where code like ?`,
    [`card:${cardId}:campaign:${campaignId ?? '%'}`],
  );
  return Number(row!.n);
}

function charge(caller: PersonCaller, over: Partial<ChargeInput> & { fiscalCode?: string } = {}) {
  const { fiscalCode, ...rest } = over;
  return suite.services.payments.charge(em(), caller, {
    idempotencyKey: randomUUID(),
    accreditationId: shopA.id,
    card: { fiscalCode: fiscalCode ?? CF.mario },
    pin: pins.get(CF.mario)!,
    amountCents: 100,
    category: 'FOOD',
    ...rest,
  });
}

const accreditationInput = (merchantId: string, campaignId: string) => ({
  merchantId,
  campaignId,
  partitaIva: '12345678903',
  iban: 'IT60 X054 2811 1010 0000 0123 456',
  businessName: 'Alimentari Rossi',
  categories: ['FOOD', 'HYGIENE', 'ALCOHOL'],
  pointsOfSale: [{ name: 'Centro', address: 'Via Roma 1, Prova' }],
});

beforeAll(async () => {
  suite = await setupSuite('money');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  main = await suite.services.campaigns.publish(
    em(),
    manager,
    (await suite.services.campaigns.create(em(), operator, campaignInput(COMUNE_A))).id,
  );
  early = await suite.services.campaigns.publish(
    em(),
    manager,
    (
      await suite.services.campaigns.create(
        em(),
        operator,
        campaignInput(COMUNE_A, { title: 'Buoni urgenti', spendingUntil: '2029-06-30' }),
      )
    ).id,
  );
  const forMario = await apply(mario, main);
  const forSara = await apply(sara, main);
  const forMarioEarly = await apply(mario, early);
  await suite.services.cases.bulkApprove(em(), operator, [forMario.id, forSara.id]);
  await suite.services.cases.bulkApprove(em(), operator, [forMarioEarly.id]);
  for (const [k, a] of [
    ['mario', forMario],
    ['sara', forSara],
    ['marioEarly', forMarioEarly],
  ] as const) {
    apps.set(k, await suite.services.applications.get(em(), operator, a.id).then((x) => x!));
    expect(apps.get(k)!.status).toBe('APPROVED');
  }
  const { issued } = await suite.services.cards.issueForCampaign(em(), operator, main.id);
  for (const i of issued) pins.set(i.fiscalCode, i.pin);
  expect(pins.size).toBe(2);
}, 120_000);

afterEach(async () => {
  const report = await book.checkInvariants(em());
  expect(report.problems).toEqual([]);
  // And the checks above the book (issue 11): the reconciliation of the Comune's money.
  expect(await suite.services.reconciliation.check(em(), COMUNE_A)).toEqual([]);
  expect(report.ok).toBe(true);
});

describe('top-ups', () => {
  it('refuses callers who are not staff of the Comune, writing nothing', async () => {
    const before = await written();
    for (const who of [operatorB, mario, cashierA]) {
      expect(
        (await caught(() => suite.services.topUps.topUpCampaign(em(), who, main.id))).code,
      ).toBe('NOT_FOUND');
      expect(
        (
          await caught(() =>
            suite.services.topUps.topUpApplication(em(), who, apps.get('sara')!.id),
          )
        ).code,
      ).toBe('NOT_FOUND');
    }
    expect(
      (
        await caught(() =>
          suite.services.topUps.topUpCampaign(em(), operator, main.id, { number: 0 }),
        )
      ).code,
    ).toBe('BAD_USER_INPUT');
    expect(await written()).toEqual(before);
  });

  it('credits each tranche once under replay, never more than the entitlement', async () => {
    const app = apps.get('sara')!;
    const entitlement = app.amountCents!;
    const card = await cardOf(CF.sara);
    const first = await suite.services.topUps.topUpApplication(em(), operator, app.id, {
      number: 1,
      percent: 40,
    });
    expect(first.creditedCents).toBe(Math.floor(entitlement * 0.4));
    const replay = await suite.services.topUps.topUpApplication(em(), operator, app.id, {
      number: 1,
      percent: 40,
    });
    expect(replay.creditedCents).toBe(0);
    // Concurrent replays of the second tranche credit it once.
    const seconds = await Promise.all(
      Array.from({ length: 5 }, () =>
        suite.services.topUps.topUpApplication(em(), operator, app.id, { number: 2, percent: 100 }),
      ),
    );
    expect(seconds.reduce((s, r) => s + r.creditedCents, 0)).toBe(
      entitlement - Math.floor(entitlement * 0.4),
    );
    const third = await suite.services.topUps.topUpApplication(em(), manager, app.id, {
      number: 3,
      percent: 100,
    });
    expect(third.creditedCents).toBe(0);
    expect(third.lines[0]!.totalCreditedCents).toBe(entitlement);
    expect(await available(card.id, main.id)).toBe(entitlement);
  });

  it('tops up a whole campaign at once, idempotently, from the budget in its FUND', async () => {
    const result = await suite.services.topUps.topUpCampaign(em(), operator, main.id);
    const marioEntitlement = apps.get('mario')!.amountCents!;
    // Sara was fully credited already: only Mario's entitlement moves now.
    expect(result.creditedCents).toBe(marioEntitlement);
    expect(result.withoutCard).toBe(0);
    expect((await suite.services.topUps.topUpCampaign(em(), operator, main.id)).creditedCents).toBe(
      0,
    );
    const card = await cardOf(CF.mario);
    expect(await available(card.id, main.id)).toBe(marioEntitlement);
    const [fund] = await sql<{ posted: string }>(
      `select (credits_posted - debits_posted)::text as posted from "public_welfare"."book_account" where code = ?`,
      [`campaign:${main.id}:fund`],
    );
    expect(Number(fund!.posted)).toBe(
      main.budgetCents - marioEntitlement - apps.get('sara')!.amountCents!,
    );
    // The early campaign's credit lands on the same card, in its own account.
    await suite.services.topUps.topUpCampaign(em(), operator, early.id);
    expect(await available(card.id, early.id)).toBe(apps.get('marioEarly')!.amountCents!);
  });

  it('publishing funds the FUND; a budget change adjusts it with a transfer; a cut below the credit is refused', async () => {
    const fundPosted = async () => {
      const [row] = await sql<{ posted: string }>(
        `select (credits_posted - debits_posted)::text as posted from "public_welfare"."book_account" where code = ?`,
        [`campaign:${early.id}:fund`],
      );
      return Number(row!.posted);
    };
    const credited = apps.get('marioEarly')!.amountCents!;
    expect(await fundPosted()).toBe(early.budgetCents - credited);
    await suite.services.cases.setBudget(em(), manager, early.id, early.budgetCents + 5000);
    expect(await fundPosted()).toBe(early.budgetCents + 5000 - credited);
    await suite.services.cases.setBudget(em(), manager, early.id, early.budgetCents);
    expect(await fundPosted()).toBe(early.budgetCents - credited);
    const [row] = await sql<{ budget: string; cut: string }>(
      `select count(*) filter (where code = 'BUDGET')::text as budget,
              count(*) filter (where code = 'BUDGET_REDUCE')::text as cut
         from "public_welfare"."book_transfer" where reference = ?`,
      [`campaign:${early.id}`],
    );
    expect([Number(row!.budget), Number(row!.cut)]).toEqual([2, 1]);
    const before = await written();
    // Below what approved applications hold: refused (the FUND, which cannot go below zero, is
    // the second guard).
    const err = await caught(() =>
      suite.services.cases.setBudget(em(), manager, early.id, credited - 1),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(await written()).toEqual(before);
    expect((await em().findOneOrFail(Campaign, { id: early.id })).budgetCents).toBe(
      early.budgetCents,
    );
  });
});

describe('shops', () => {
  it('only a MERCHANT OWNER asks to join, with valid data', async () => {
    expect(
      (
        await caught(() =>
          suite.services.shops.requestAccreditation(
            em(),
            cashierA,
            accreditationInput(SHOP_A, main.id),
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await caught(() =>
          suite.services.shops.requestAccreditation(
            em(),
            ownerA,
            accreditationInput(SHOP_B, main.id),
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
    const bad = await caught(() =>
      suite.services.shops.requestAccreditation(em(), ownerA, {
        ...accreditationInput(SHOP_A, main.id),
        partitaIva: '12345678901',
        iban: 'IT00X0000',
        categories: ['WINE'],
        pointsOfSale: [],
      }),
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.fields.map((f) => f.field).sort()).toEqual([
      'categories',
      'iban',
      'partitaIva',
      'pointsOfSale',
    ]);
    expect(await suite.count('shop_accreditation')).toBe(0);
    shopA = await suite.services.shops.requestAccreditation(
      em(),
      ownerA,
      accreditationInput(SHOP_A, main.id),
    );
    expect(shopA.status).toBe('PENDING');
    expect(shopA.iban).toBe('IT60X0542811101000000123456');
    expect(
      (
        await caught(() =>
          suite.services.shops.requestAccreditation(
            em(),
            ownerA,
            accreditationInput(SHOP_A, main.id),
          ),
        )
      ).code,
    ).toBe('CONFLICT');
    shopAEarly = await suite.services.shops.requestAccreditation(
      em(),
      ownerA,
      accreditationInput(SHOP_A, early.id),
    );
    shopB = await suite.services.shops.requestAccreditation(
      em(),
      ownerB,
      accreditationInput(SHOP_B, main.id),
    );
  });

  it('tenancy: a shop sees only its own, a Comune only its campaigns’, staff of another Comune decide nothing', async () => {
    expect(
      (await suite.services.shops.forMerchant(em(), cashierA, SHOP_A)).map((s) => s.id).sort(),
    ).toEqual([shopA.id, shopAEarly.id].sort());
    expect(await suite.services.shops.forMerchant(em(), cashierA, SHOP_B)).toEqual([]);
    expect(await suite.services.shops.forCampaign(em(), operatorB, main.id)).toEqual([]);
    expect((await suite.services.shops.forCampaign(em(), operator, main.id)).length).toBe(2);
    expect(await suite.services.shops.get(em(), ownerB, shopA.id)).toBeNull();
    for (const who of [operatorB, ownerA, cashierA]) {
      expect(
        (await caught(() => suite.services.shops.decide(em(), who, shopA.id, 'ACCREDITED'))).code,
      ).toBe('NOT_FOUND');
    }
    expect((await suite.services.shops.get(em(), operator, shopA.id))!.status).toBe('PENDING');
  });

  it('staff of the Comune accredit and suspend', async () => {
    const s = await suite.services.shops.decide(em(), operator, shopB.id, 'SUSPENDED');
    expect(s.status).toBe('SUSPENDED');
    shopA = await suite.services.shops.decide(em(), operator, shopA.id, 'ACCREDITED');
    shopAEarly = await suite.services.shops.decide(em(), manager, shopAEarly.id, 'ACCREDITED');
    expect(shopA.decidedBy).toBe(operator.personId);
  });
});

describe('card replacement', () => {
  it('moves the credit to the new card; the old card pays nothing', async () => {
    const old = await cardOf(CF.mario);
    const credit = await available(old.id);
    expect(credit).toBeGreaterThan(0);
    const { issued } = await suite.services.cards.replace(em(), operator, old.id);
    pins.set(CF.mario, issued.pin);
    expect(await available(old.id)).toBe(0);
    expect(await available(issued.card.id)).toBe(credit);
    const paid = await charge(cashierA, { pin: issued.pin, amountCents: 1 });
    expect(paid.payment.cardId).toBe(issued.card.id);
    expect(paid.residualCents).toBe(credit - 1);
    const err = (await caught(() =>
      charge(cashierA, { card: { qr: suite.services.cards.qrPayload(old) }, amountCents: 1 }),
    )) as unknown as { reason?: string };
    expect(err.reason).toBe('CARD_BLOCKED');
  });
});

describe('payments', () => {
  it('refuses bad amounts and malformed input, writing nothing', async () => {
    const before = await written();
    for (const amountCents of [0, -100, 12.5, 100_000_001, Number.NaN, 1e20]) {
      const err = await caught(() => charge(cashierA, { amountCents }));
      expect(err.code).toBe('BAD_USER_INPUT');
      expect(err.fields.map((f) => f.field)).toContain('amountCents');
    }
    const both = await caught(() =>
      charge(cashierA, { card: { qr: 'x', fiscalCode: CF.mario }, category: 'WINE' }),
    );
    expect(both.fields.map((f) => f.field).sort()).toEqual(['card', 'category']);
    expect(await written()).toEqual(before);
  });

  it('refuses every check with a clear reason, writing nothing and counting no PIN', async () => {
    const card = await cardOf(CF.mario);
    const before = await written();
    const reason = async (fn: () => Promise<unknown>) => {
      const err = (await caught(fn)) as unknown as { code: string; reason?: string };
      return `${err.code}:${err.reason ?? ''}`;
    };
    // A cashier of shop B cannot charge as shop A, nor the other way round.
    expect(await reason(() => charge(cashierB))).toBe('FORBIDDEN:NOT_A_CASHIER');
    expect(await reason(() => charge(cashierA, { accreditationId: shopB.id }))).toBe(
      'FORBIDDEN:NOT_A_CASHIER',
    );
    // Shop B is suspended.
    expect(await reason(() => charge(cashierB, { accreditationId: shopB.id }))).toBe(
      'CONFLICT:SHOP_NOT_ACCREDITED',
    );
    expect(await reason(() => charge(cashierA, { category: 'ALCOHOL' }))).toBe(
      'CONFLICT:CATEGORY_EXCLUDED',
    );
    expect(await reason(() => charge(cashierA, { fiscalCode: CF.rosa }))).toBe(
      'NOT_FOUND:CARD_NOT_FOUND',
    );
    expect(await reason(() => charge(cashierA, { card: { qr: 'WC1.forged.qr.code' } }))).toBe(
      'BAD_USER_INPUT:',
    );
    expect(await reason(() => charge(cashierA, { amountCents: 99_999_999 }))).toBe(
      'CONFLICT:INSUFFICIENT_CREDIT',
    );
    await sql(
      `update "public_welfare"."campaign" set "spending_from" = '2099-01-01', "spending_until" = '2099-12-31' where id = ?`,
      [main.id],
    );
    try {
      expect(await reason(() => charge(cashierA))).toBe('CONFLICT:OUTSIDE_WINDOW');
    } finally {
      await sql(
        `update "public_welfare"."campaign" set "spending_from" = '2026-01-01', "spending_until" = '2030-12-31' where id = ?`,
        [main.id],
      );
    }
    expect((await em().findOneOrFail(Card, { id: card.id })).pinFailures).toBe(0);
    expect(
      await reason(() =>
        charge(cashierA, { pin: '000000' === pins.get(CF.mario) ? '111111' : '000000' }),
      ),
    ).toBe('CONFLICT:WRONG_PIN');
    expect((await em().findOneOrFail(Card, { id: card.id })).pinFailures).toBe(1);
    await sql(
      `update "public_welfare"."card" set "status" = 'BLOCKED', "block_reason" = 'LOST', "blocked_at" = now() where id = ?`,
      [card.id],
    );
    try {
      expect(await reason(() => charge(cashierA))).toBe('CONFLICT:CARD_BLOCKED');
    } finally {
      await sql(
        `update "public_welfare"."card" set "status" = 'ACTIVE', "block_reason" = null, "blocked_at" = null, "pin_failures" = 0 where id = ?`,
        [card.id],
      );
    }
    expect(await written()).toEqual(before);
  });

  it('the fifth wrong PIN says it has just blocked the card (PIN_LOCKED); the sixth finds it blocked', async () => {
    const card = await cardOf(CF.mario);
    const before = await written();
    const right = pins.get(CF.mario)!;
    const wrong = right === '000000' ? '111111' : '000000';
    const refusal = async (pin: string) =>
      (await caught(() => charge(cashierA, { pin }))) as unknown as {
        code: string;
        reason?: string;
        localized: { it: string; en: string };
      };
    try {
      for (let left = 4; left >= 1; left--) {
        expect(await refusal(wrong)).toMatchObject({ code: 'CONFLICT', reason: 'WRONG_PIN' });
      }
      const fifth = await refusal(wrong);
      expect(fifth).toMatchObject({ code: 'CONFLICT', reason: 'PIN_LOCKED' });
      expect(fifth.localized).toEqual({
        it: 'PIN errato: era il quinto tentativo, la carta ora è bloccata. Rivolgersi al Comune per sbloccarla.',
        en: 'Wrong PIN: that was the fifth attempt, the card is now blocked. Ask the Comune to unblock it.',
      });
      const locked = await em().findOneOrFail(Card, { id: card.id });
      expect(locked).toMatchObject({
        status: 'BLOCKED',
        blockReason: 'PIN_LOCKED',
        pinFailures: 5,
      });
      // The sixth attempt, even with the right PIN, finds the card already blocked.
      expect(await refusal(right)).toMatchObject({ code: 'CONFLICT', reason: 'CARD_BLOCKED' });
      expect(await refusal(wrong)).toMatchObject({ code: 'CONFLICT', reason: 'CARD_BLOCKED' });
      expect(await written()).toEqual(before);
    } finally {
      await suite.services.cards.unblock(em(), operator, card.id);
    }
    expect((await em().findOneOrFail(Card, { id: card.id })).status).toBe('ACTIVE');
  });

  it('charges by codice fiscale and by QR, spends the earliest-ending campaign first, notifies the holder', async () => {
    const card = await cardOf(CF.mario);
    const earlyCredit = await available(card.id, early.id);
    const total = await available(card.id);
    const amount = earlyCredit + 250;
    const messages = await suite.count('message');
    const paid = await charge(cashierA, { amountCents: amount });
    expect(paid.payment.status).toBe('AUTHORISED');
    expect(paid.payment.transferIds).toHaveLength(2);
    expect(paid.residualCents).toBe(total - amount);
    expect(await available(card.id, early.id)).toBe(0);
    expect(await suite.count('message')).toBe(messages + 1);
    const [notice] = await sql<{ body: string; channel: string }>(
      `select body, channel from "public_welfare"."message" where template = 'PAYMENT'`,
    );
    expect(notice!.channel).toBe('PORTAL');
    expect(notice!.body).toContain('Alimentari Rossi');
    const byQr = await charge(ownerA, {
      card: { qr: suite.services.cards.qrPayload(card) },
      amountCents: 50,
    });
    expect(byQr.residualCents).toBe(total - amount - 50);
    const balances = await suite.services.credit.myBalances(em(), mario);
    const e = balances.find((b) => b.campaignId === early.id)!;
    // Credited on the old card, moved to this one by the replacement; all spent now.
    expect(e.creditedCents).toBe(apps.get('marioEarly')!.amountCents!);
    expect(e).toMatchObject({ spentCents: e.creditedCents, availableCents: 0 });
    const m = balances.find((b) => b.campaignId === main.id)!;
    expect(m.spentCents).toBe(300);
    expect(m.spendingUntil).toBe('2030-12-31');
    const moves = await suite.services.credit.movements(em(), mario, card.id);
    expect(moves.filter((x) => x.code === 'PAYMENT').reduce((s, x) => s + x.amountCents, 0)).toBe(
      -(amount + 50 + 1), // and the cent paid right after the replacement
    );
    expect(await suite.services.credit.movements(em(), sara, card.id)).toEqual([]);
  });

  it('replays a key: same request → same payment, different request → CONFLICT, nothing written', async () => {
    const key = randomUUID();
    const first = await charge(cashierA, { idempotencyKey: key, amountCents: 120 });
    const before = await written();
    const again = await charge(cashierA, { idempotencyKey: key, amountCents: 120 });
    expect(again.payment.id).toBe(first.payment.id);
    expect(again.payment.transferIds).toEqual(first.payment.transferIds);
    for (const change of [
      { amountCents: 121 },
      { fiscalCode: CF.sara, pin: pins.get(CF.sara)! },
      { category: 'HYGIENE' },
    ] as const) {
      const err = (await caught(() =>
        charge(cashierA, { idempotencyKey: key, amountCents: 120, ...change }),
      )) as unknown as { code: string; reason: string };
      expect([err.code, err.reason]).toEqual(['CONFLICT', 'IDEMPOTENCY_CONFLICT']);
    }
    expect(await written()).toEqual(before);
    // Concurrent requests with one key: one payment.
    const key2 = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => charge(cashierA, { idempotencyKey: key2, amountCents: 70 })),
    );
    expect(new Set(results.map((r) => r.payment.id))).toEqual(new Set([key2]));
    const [row] = await sql<{ n: string }>(
      `select count(*)::text as n from "public_welfare"."book_transfer" where reference = ?`,
      [`payment:${key2}`],
    );
    expect(Number(row!.n)).toBe(1);
  });

  it('finds a payment by its key for its shop and its Comune only; a malformed key is bad input', async () => {
    const key = randomUUID();
    const paid = await charge(cashierA, { idempotencyKey: key, amountCents: 30 });
    const byKey = (caller: Parameters<typeof suite.services.payments.byKey>[1], k: string = key) =>
      suite.services.payments.byKey(em(), caller, k);
    expect((await byKey(cashierA))?.id).toBe(paid.payment.id);
    expect((await byKey(ownerA))?.id).toBe(paid.payment.id);
    expect((await byKey(operator))?.id).toBe(paid.payment.id);
    // Another shop, another Comune: as if there were none.
    expect(await byKey(cashierB)).toBeNull();
    expect(await byKey(operatorB)).toBeNull();
    // No payment under a fresh key: null, final.
    expect(await byKey(cashierA, randomUUID())).toBeNull();
    expect((await caught(() => byKey(cashierA, 'not-a-key'))).code).toBe('BAD_USER_INPUT');
    expect((await caught(() => byKey({ kind: 'anonymous' }))).code).toBe('UNAUTHENTICATED');
  });

  it('voids the same day (the shop only), once; not a day later', async () => {
    const card = await cardOf(CF.mario);
    const before = await available(card.id);
    const paid = await charge(cashierA, { amountCents: 400 });
    expect(await available(card.id)).toBe(before - 400);
    expect(
      (await caught(() => suite.services.payments.voidPayment(em(), cashierB, paid.payment.id)))
        .code,
    ).toBe('NOT_FOUND');
    const voided = await suite.services.payments.voidPayment(em(), cashierA, paid.payment.id);
    expect(voided.status).toBe('VOIDED');
    expect(await available(card.id)).toBe(before);
    await suite.services.payments.voidPayment(em(), ownerA, paid.payment.id);
    expect(await available(card.id)).toBe(before);
    const old = await charge(cashierA, { amountCents: 10 });
    await sql(
      `update "public_welfare"."payment" set created_at = now() - interval '2 days' where id = ?`,
      [old.payment.id],
    );
    const err = (await caught(() =>
      suite.services.payments.voidPayment(em(), cashierA, old.payment.id),
    )) as unknown as { reason: string };
    expect(err.reason).toBe('VOID_TOO_LATE');
    expect(
      (await suite.services.payments.forShop(em(), cashierA, shopA.id)).length,
    ).toBeGreaterThan(3);
    expect(await suite.services.payments.forShop(em(), cashierB, shopA.id)).toEqual([]);
  });

  it('100 concurrent payments on one card: exactly floor(balance / amount) succeed', async () => {
    const card = await cardOf(CF.sara);
    const balance = await available(card.id);
    const amount = 731;
    expect(balance).toBeGreaterThan(amount);
    const payments = await suite.count('payment');
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        charge(cashierA, { fiscalCode: CF.sara, pin: pins.get(CF.sara)!, amountCents: amount }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason as { reason?: string }).reason);
    const expected = Math.min(100, Math.floor(balance / amount));
    expect(ok).toBe(expected);
    expect(refused).toEqual(Array(100 - expected).fill('INSUFFICIENT_CREDIT'));
    expect(await available(card.id)).toBe(balance - expected * amount);
    expect(await suite.count('payment')).toBe(payments + expected);
  }, 120_000);
});

describe('over GraphQL', () => {
  it('charges a card, refuses a fractional amount, and shows the citizen their balance', async () => {
    const CHARGE = `mutation ($input: ChargeCardInput!) {
      chargeCard(input: $input) { residualCents payment { id amountCents status } }
    }`;
    const input = {
      idempotencyKey: randomUUID(),
      accreditationId: shopA.id,
      card: { fiscalCode: CF.mario },
      pin: pins.get(CF.mario),
      amountCents: 5,
      category: 'FOOD',
    };
    const before = await written();
    const fractional = await suite.run(CHARGE, { input: { ...input, amountCents: 2.5 } }, cashierA);
    expect(fractional.errors?.length).toBe(1);
    expect(await written()).toEqual(before);
    const ok = await suite.run<{ chargeCard: { payment: { id: string; amountCents: number } } }>(
      CHARGE,
      { input },
      cashierA,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.chargeCard.payment).toMatchObject({ id: input.idempotencyKey, amountCents: 5 });
    const refused = await suite.run(
      CHARGE,
      { input: { ...input, idempotencyKey: randomUUID() } },
      cashierB,
    );
    expect(errorCode(refused)).toBe('FORBIDDEN');
    const balance = await suite.run<{
      myCardBalance: { campaignId: string; availableCents: number }[];
    }>(
      `{ myCardBalance { campaignId campaignTitle creditedCents spentCents availableCents spendingUntil } }`,
      {},
      mario,
    );
    expect(balance.errors).toBeUndefined();
    const card = await cardOf(CF.mario);
    expect(balance.data!.myCardBalance.reduce((s, b) => s + b.availableCents, 0)).toBe(
      await available(card.id),
    );
  });
  it('lists a shop’s payments with the last 4 digits of each card, read with one query', async () => {
    const sara = await cardOf(CF.sara);
    const marioCard = await cardOf(CF.mario);
    const CHARGE = `mutation ($input: ChargeCardInput!) {
      chargeCard(input: $input) { payment { id cardLast4 } }
    }`;
    const paid = await suite.run<{ chargeCard: { payment: { id: string; cardLast4: string } } }>(
      CHARGE,
      {
        input: {
          idempotencyKey: randomUUID(),
          accreditationId: shopA.id,
          card: { fiscalCode: CF.sara },
          pin: pins.get(CF.sara),
          amountCents: 3,
          category: 'FOOD',
        },
      },
      cashierA,
    );
    expect(paid.errors).toBeUndefined();
    expect(paid.data!.chargeCard.payment.cardLast4).toBe(sara.number.slice(-4));
    await charge(cashierA, { amountCents: 2 });

    const connection = suite.orm.em.getConnection();
    const execute = vi.spyOn(connection, 'execute');
    try {
      const list = await suite.run<{
        shopPayments: { id: string; cardId: string; cardLast4: string }[];
      }>(
        `query ($id: ID!) { shopPayments(accreditationId: $id, first: 500) { id cardId cardLast4 } }`,
        { id: shopA.id },
        cashierA,
      );
      // One query for the cards of the whole list, however many payments and cards.
      const cardQueries = execute.mock.calls.filter(
        ([query]) => typeof query === 'string' && query.includes('"public_welfare"."card"'),
      );
      expect(cardQueries).toHaveLength(1);
      expect(list.errors).toBeUndefined();
      const rows = list.data!.shopPayments;
      // Payments of several cards (Mario's and Sara's).
      const cardIds = new Set(rows.map((r) => r.cardId));
      expect(cardIds.size).toBeGreaterThanOrEqual(2);
      expect(rows.length).toBeGreaterThan(cardIds.size);
      expect(cardIds).toContain(sara.id);
      expect(cardIds).toContain(marioCard.id);
      const numbers = new Map(
        (await em().find(Card, { id: { $in: [...cardIds] } })).map((c) => [c.id, c.number]),
      );
      for (const row of rows) {
        expect(row.cardLast4).toMatch(/^\d{4}$/);
        expect(row.cardLast4).toBe(numbers.get(row.cardId)!.slice(-4));
      }
    } finally {
      execute.mockRestore();
    }
  });
});

describe('the sweep', () => {
  it('returns unspent credit to the FUND after the window, once', async () => {
    expect(
      (
        (await caught(() =>
          suite.services.topUps.sweepExpired(em(), operator, main.id),
        )) as unknown as {
          reason: string;
        }
      ).reason,
    ).toBe('WINDOW_OPEN');
    await sql(
      `update "public_welfare"."campaign" set "spending_from" = '2025-01-01', "spending_until" = '2025-12-31' where id = ?`,
      [main.id],
    );
    expect(
      (await caught(() => suite.services.topUps.sweepExpired(em(), operatorB, main.id))).code,
    ).toBe('NOT_FOUND');
    const mCard = await cardOf(CF.mario);
    const sCard = await cardOf(CF.sara);
    const left = (await available(mCard.id, main.id)) + (await available(sCard.id, main.id));
    const earlyLeft = await available(mCard.id, early.id);
    const swept = await suite.services.topUps.sweepExpired(em(), operator, main.id);
    expect(swept.returnedCents).toBe(left);
    expect(await available(mCard.id, main.id)).toBe(0);
    expect(await available(sCard.id, main.id)).toBe(0);
    expect(await available(mCard.id, early.id)).toBe(earlyLeft);
    expect(await suite.services.topUps.sweepExpired(em(), operator, main.id)).toEqual({
      accounts: 0,
      returnedCents: 0,
    });
    const err = (await caught(() =>
      suite.services.topUps.topUpCampaign(em(), operator, main.id, { number: 9 }),
    )) as unknown as { reason: string };
    expect(err.reason).toBe('OUTSIDE_WINDOW');
  });
});

describe('a campaign-wide top-up of a few hundred beneficiaries', () => {
  const N = 300;
  /**
   * What happens to beneficiary i, by i % 10: 0 no card here (a card of another Comune with the
   * same codice fiscale), 1 a REPLACED card and its live replacement, 2 only a REPLACED card,
   * 3 a BLOCKED card, 4 tranche 1 credited before at 40%, otherwise an ACTIVE card.
   */
  const kindOf = (i: number) => i % 10;

  /** Runs `fn` and counts the SQL statements it sends (through the suite's ORM). */
  async function queries<T>(fn: () => Promise<T>): Promise<T & { queries: number }> {
    const config = suite.orm.config;
    const original = config.get('onQuery');
    let count = 0;
    config.set('onQuery', (query: string, params: unknown[]) => {
      count++;
      return original(query, params);
    });
    try {
      return { ...(await fn()), queries: count };
    } finally {
      config.set('onQuery', original);
    }
  }
  const entitlementOf = (i: number) => 1_000 + 7 * i;

  it('credits every line set-based, once; the book agrees; another Comune changes nothing', async () => {
    const campaign = await suite.services.campaigns.publish(
      em(),
      manager,
      (
        await suite.services.campaigns.create(
          em(),
          operator,
          campaignInput(COMUNE_A, { title: 'Ricarica per tutti' }),
        )
      ).id,
    );
    const tag = randomUUID().slice(0, 8);
    const seeded: { appId: string; liveCard: string | null; entitlement: number }[] = [];
    const apps: unknown[] = [];
    const cards: unknown[] = [];
    const appRow = (id: string, hash: string, status: string, amount: number | null, n: number) =>
      apps.push(
        id,
        campaign.id,
        COMUNE_A,
        status,
        hash,
        'x',
        operator.personId,
        `B-${tag}-${n}`,
        amount,
      );
    let cardNo = 0;
    const cardRow = (
      comuneId: string,
      hash: string,
      status: 'ACTIVE' | 'BLOCKED' | 'REPLACED',
      appId: string,
      replacedBy: string | null = null,
    ) => {
      const id = randomUUID();
      cards.push(
        id,
        comuneId,
        `7${String(Number.parseInt(tag, 16) % 1000).padStart(3, '0')}${String(cardNo++).padStart(12, '0')}`,
        hash,
        status,
        status === 'BLOCKED' ? 'LOST' : null,
        status === 'BLOCKED' ? new Date() : null,
        replacedBy,
        randomBytes(16).toString('base64url'),
        appId,
      );
      return id;
    };
    for (let i = 0; i < N; i++) {
      const appId = randomUUID();
      const hash = `holder-${tag}-${i}`;
      appRow(appId, hash, 'APPROVED', entitlementOf(i), i);
      let liveCard: string | null = null;
      const kind = kindOf(i);
      if (kind === 0) cardRow(COMUNE_B, hash, 'ACTIVE', appId);
      else if (kind === 1) {
        liveCard = cardRow(COMUNE_A, hash, 'ACTIVE', appId);
        cardRow(COMUNE_A, hash, 'REPLACED', appId, liveCard);
      } else if (kind === 2)
        cardRow(COMUNE_A, hash, 'REPLACED', appId, cardRow(COMUNE_B, hash, 'ACTIVE', appId));
      else liveCard = cardRow(COMUNE_A, hash, kind === 3 ? 'BLOCKED' : 'ACTIVE', appId);
      seeded.push({ appId, liveCard, entitlement: entitlementOf(i) });
    }
    // Not part of the top-up: an application still in review, and one approved for nothing.
    appRow(randomUUID(), `holder-${tag}-review`, 'IN_REVIEW', 5_000, N);
    appRow(randomUUID(), `holder-${tag}-zero`, 'APPROVED', 0, N + 1);
    await sql(
      `insert into "public_welfare"."application" (id, campaign_id, comune_id, status,
         applicant_fiscal_code_hash, applicant_fiscal_code_cipher, created_by, answers, checks,
         protocol_number, submitted_at, amount_cents, decided_at)
       values ${Array.from({ length: apps.length / 9 }, () => `(?, ?, ?, ?, ?, ?, ?, '{}'::jsonb, '[]'::jsonb, ?, now(), ?, now())`).join(', ')}`,
      apps,
    );
    await sql(
      `insert into "public_welfare"."card" (id, comune_id, number, holder_fiscal_code_hash,
         holder_fiscal_code_cipher, status, block_reason, blocked_at, replaced_by, pin_hash, qr_nonce,
         application_id, issued_by)
       values ${Array.from({ length: cards.length / 10 }, () => `(?, ?, ?, ?, 'x', ?, ?, ?, ?, '$argon2id$v=19$m=19456,t=2,p=1$x$y', ?, ?, '${operator.personId}')`).join(', ')}`,
      cards,
    );
    const total = seeded.reduce((s, x) => s + x.entitlement, 0);
    await suite.services.cases.setBudget(em(), manager, campaign.id, total + 1_000);
    // Tranche 1 at 40% for the fifth kind, one application at a time.
    for (const [i, x] of seeded.entries())
      if (kindOf(i) === 4)
        expect(
          (
            await suite.services.topUps.topUpApplication(em(), operator, x.appId, {
              number: 1,
              percent: 40,
            })
          ).creditedCents,
        ).toBe(Math.floor(x.entitlement * 0.4));

    const before = await written();
    expect(
      (await caught(() => suite.services.topUps.topUpCampaign(em(), operatorB, campaign.id))).code,
    ).toBe('NOT_FOUND');
    expect(await written()).toEqual(before);

    const first = await queries(() =>
      suite.services.topUps.topUpCampaign(em(), operator, campaign.id),
    );
    // Set-based: a constant number of queries (one at a time, it took about 5 per application).
    expect(first.queries).toBeLessThan(30);
    const expected = seeded
      .map((x, i) => {
        const kind = kindOf(i);
        const early = kind === 4 ? Math.floor(x.entitlement * 0.4) : 0;
        const credited = x.liveCard === null || kind === 4 ? 0 : x.entitlement;
        return {
          applicationId: x.appId,
          cardId: x.liveCard,
          creditedCents: credited,
          totalCreditedCents: early + credited,
          entitlementCents: x.entitlement,
        };
      })
      .sort((a, b) => (a.applicationId < b.applicationId ? -1 : 1));
    expect(first.lines).toEqual(expected);
    expect(first.withoutCard).toBe(seeded.filter((x) => x.liveCard === null).length);
    expect(first.withoutCard).toBe(2 * (N / 10));
    const creditedNow = expected.reduce((s, l) => s + l.creditedCents, 0);
    expect(first.creditedCents).toBe(creditedNow);
    const after = await written();
    expect(after.transfers).toBe(
      before.transfers + seeded.filter((x, i) => x.liveCard && kindOf(i) !== 4).length,
    );

    // The book: each live card's account holds what its line says; the FUND gave exactly that.
    const balances = async () => {
      const rows = await sql<{ code: string; available: string }>(
        `select code, (credits_posted - debits_posted - debits_pending)::text as available
           from "public_welfare"."book_account" where code like ?`,
        [`card:%:campaign:${campaign.id}`],
      );
      return new Map(rows.map((r) => [r.code, Number(r.available)]));
    };
    const fundPosted = async () => {
      const [row] = await sql<{ posted: string }>(
        `select (credits_posted - debits_posted)::text as posted from "public_welfare"."book_account" where code = ?`,
        [`campaign:${campaign.id}:fund`],
      );
      return Number(row!.posted);
    };
    const held = await balances();
    for (const line of first.lines.filter((l) => l.cardId))
      expect(held.get(`card:${line.cardId}:campaign:${campaign.id}`)).toBe(line.totalCreditedCents);
    // Only live cards have accounts for this campaign.
    expect(held.size).toBe(seeded.filter((x) => x.liveCard).length);
    const early = expected.reduce((s, l) => s + l.totalCreditedCents - l.creditedCents, 0);
    expect(await fundPosted()).toBe(total + 1_000 - early - creditedNow);
    const [topUps] = await sql<{ n: string; sum: string }>(
      `select count(*)::text as n, sum(amount)::text as sum from "public_welfare"."book_transfer"
        where code = 'TOPUP' and reference in (?)`,
      [seeded.map((x) => `application:${x.appId}`)],
    );
    expect([Number(topUps!.n), Number(topUps!.sum)]).toEqual([
      seeded.filter((x) => x.liveCard).length,
      early + creditedNow,
    ]);

    // The same tranche again credits nothing and writes no transfer.
    const again = await queries(() =>
      suite.services.topUps.topUpCampaign(em(), operator, campaign.id),
    );
    expect(again.queries).toBeLessThan(30);
    expect(again.creditedCents).toBe(0);
    expect(again.lines).toEqual(expected.map((l) => ({ ...l, creditedCents: 0 })));
    expect((await written()).transfers).toBe(after.transfers);
    expect(await balances()).toEqual(held);

    // Tranche 2 completes the 40% ones, and nobody gets more than the entitlement.
    const second = await suite.services.topUps.topUpCampaign(em(), operator, campaign.id, {
      number: 2,
    });
    expect(second.creditedCents).toBe(
      seeded
        .filter((_, i) => kindOf(i) === 4)
        .reduce((s, x) => s + x.entitlement - Math.floor(x.entitlement * 0.4), 0),
    );
    for (const line of second.lines)
      expect(line.totalCreditedCents).toBe(line.cardId ? line.entitlementCents : 0);
    expect(await fundPosted()).toBe(
      total + 1_000 - seeded.filter((x) => x.liveCard).reduce((s, x) => s + x.entitlement, 0),
    );
  }, 120_000);

  it('refuses the whole top-up when the FUND lacks the money, as before: CONFLICT, INSUFFICIENT_FUNDS, nothing written', async () => {
    const campaign = await suite.services.campaigns.publish(
      em(),
      manager,
      (
        await suite.services.campaigns.create(
          em(),
          operator,
          campaignInput(COMUNE_A, { title: 'Ricarica oltre il fondo', budgetCents: 10_000 }),
        )
      ).id,
    );
    const apps: unknown[] = [];
    const cards: unknown[] = [];
    const tag = randomUUID().slice(0, 8);
    // Seeded after the budget (the service would refuse such approvals): 4,000 cents each, so
    // the first two fit the 10,000 of the FUND and the third does not.
    for (let i = 0; i < 3; i++) {
      const appId = randomUUID();
      apps.push(
        appId,
        campaign.id,
        COMUNE_A,
        `short-${tag}-${i}`,
        operator.personId,
        `S-${tag}-${i}`,
      );
      cards.push(
        randomUUID(),
        COMUNE_A,
        `6${String(Number.parseInt(tag, 16) % 1000).padStart(3, '0')}${String(i).padStart(12, '0')}`,
        `short-${tag}-${i}`,
        randomBytes(16).toString('base64url'),
      );
    }
    await sql(
      `insert into "public_welfare"."application" (id, campaign_id, comune_id, status,
         applicant_fiscal_code_hash, applicant_fiscal_code_cipher, created_by, answers, checks,
         protocol_number, submitted_at, amount_cents, decided_at)
       values ${Array.from({ length: 3 }, () => `(?, ?, ?, 'APPROVED', ?, 'x', ?, '{}'::jsonb, '[]'::jsonb, ?, now(), 4000, now())`).join(', ')}`,
      apps,
    );
    await sql(
      `insert into "public_welfare"."card" (id, comune_id, number, holder_fiscal_code_hash,
         holder_fiscal_code_cipher, pin_hash, qr_nonce, issued_by)
       values ${Array.from({ length: 3 }, () => `(?, ?, ?, ?, 'x', '$argon2id$v=19$m=19456,t=2,p=1$x$y', ?, '${operator.personId}')`).join(', ')}`,
      cards,
    );
    const before = await written();
    const err = (await caught(() =>
      suite.services.topUps.topUpCampaign(em(), operator, campaign.id),
    )) as unknown as { code: string; reason: string; message: string };
    expect([err.code, err.reason]).toEqual(['CONFLICT', 'INSUFFICIENT_FUNDS']);
    expect(await written()).toEqual(before);
    const [accounts] = await sql<{ n: string }>(
      `select count(*)::text as n from "public_welfare"."book_account" where code like ?`,
      [`card:%:campaign:${campaign.id}`],
    );
    expect(Number(accounts!.n)).toBe(0);
    // The seeded state is one the services never make, and the reconciliation says so; the
    // third application is then taken out of the budget, as a ranking would.
    const problems = await suite.services.reconciliation.check(em(), COMUNE_A);
    expect(problems.map((p) => `${p.check} ${p.subject}`)).toEqual([
      `COMMITTED_WITHIN_BUDGET campaign:${campaign.id}`,
    ]);
    await sql(
      `update "public_welfare"."application" set status = 'ELIGIBLE_NOT_FUNDED' where id = ?`,
      [apps[12]],
    );
  });
});
