import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountConflict, InvalidBookInput } from '../src/book/errors.js';
import { expectCleanBook, id, rejection, setupBookSuite, type BookSuite } from './book-helpers.js';

/** The book's public reads: owners, balances, locked reads, statements, totals, snapshots. */
let suite: BookSuite;

beforeAll(async () => {
  suite = await setupBookSuite('reads');
});
afterAll(async () => {
  await expectCleanBook(suite);
  await suite.close();
});

/** An issuer, a fund, two cards with accounts in two campaigns each, and two shops. */
async function world() {
  const { book } = suite;
  const em = suite.em();
  const tag = id();
  const [c1, c2, card1, card2, shop1, shop2] = [id(), id(), id(), id(), id(), id()];
  const issuer = await book.openAccount(em, {
    code: `issuer:${tag}`,
    kind: 'ISSUER',
    allowNegative: true,
    owner: { kind: 'comune', id: tag },
  });
  const holders = await book.openAccounts(
    em,
    [card1, card2].flatMap((card) =>
      [c1, c2].map((campaign) => ({
        code: `card:${card}:campaign:${campaign}`,
        kind: 'HOLDER',
        owner: { kind: 'card', id: card, scopeId: campaign },
      })),
    ),
  );
  const account = (card: string, campaign: string) =>
    holders.get(`card:${card}:campaign:${campaign}`)!.id;
  const shops = await book.openAccounts(
    em,
    [shop1, shop2].map((shop) => ({
      code: `shop:${shop}`,
      kind: 'MERCHANT',
      owner: { kind: 'shop', id: shop },
    })),
  );
  const shop = (s: string) => shops.get(`shop:${s}`)!.id;
  const move = (debit: string, credit: string, amount: number, code: string, reference?: string) =>
    book.transfer(suite.em(), { id: id(), debit, credit, amount, code, reference });
  return { issuer: issuer.id, c1, c2, card1, card2, shop1, shop2, account, shop, move };
}

describe('owners', () => {
  it('opens accounts with an owner, and returns it again only for the same owner', async () => {
    const { book } = suite;
    const owner = { kind: 'card', id: id(), scopeId: id() };
    const code = `card:${owner.id}:campaign:${owner.scopeId}`;
    const opened = await book.openAccount(suite.em(), { code, kind: 'HOLDER', owner });
    expect(opened.owner).toEqual(owner);
    expect(await book.openAccount(suite.em(), { code, kind: 'HOLDER', owner })).toEqual(opened);
    // Not naming the owner is not asking for another one.
    expect((await book.openAccount(suite.em(), { code, kind: 'HOLDER' })).id).toBe(opened.id);
    for (const other of [
      { ...owner, id: id() },
      { ...owner, kind: 'shop' },
      { ...owner, scopeId: null },
    ]) {
      expect(
        await rejection(() => book.openAccount(suite.em(), { code, kind: 'HOLDER', owner: other })),
      ).toBeInstanceOf(AccountConflict);
      expect(
        await rejection(() =>
          book.openAccounts(suite.em(), [{ code, kind: 'HOLDER', owner: other }]),
        ),
      ).toBeInstanceOf(AccountConflict);
    }
  });

  it('gives an account opened without an owner its owner once; then it never changes', async () => {
    const { book } = suite;
    const code = `legacy:${id()}`;
    const plain = await book.openAccount(suite.em(), { code, kind: 'HOLDER' });
    expect(plain.owner).toBeNull();
    const owner = { kind: 'card', id: id(), scopeId: null };
    const claimed = await book.openAccount(suite.em(), { code, kind: 'HOLDER', owner });
    expect(claimed).toMatchObject({ id: plain.id, owner });
    const code2 = `legacy:${id()}`;
    await book.openAccount(suite.em(), { code: code2, kind: 'HOLDER' });
    const batch = await book.openAccounts(suite.em(), [
      { code: code2, kind: 'HOLDER', owner: { kind: 'shop', id: 'x' } },
    ]);
    expect(batch.get(code2)!.owner).toEqual({ kind: 'shop', id: 'x', scopeId: null });
    // Raw SQL cannot move an account to another owner, nor take its owner away.
    for (const set of [`owner_id = 'someone-else'`, `owner_kind = null, owner_id = null`]) {
      const err = await rejection(() =>
        suite.sql(`update book_test.book_account set ${set} where id = ?`, [plain.id]),
      );
      expect(err.message).toMatch(/accounts are immutable/);
    }
  });

  it('checks the owner fields', async () => {
    const err = await rejection(() =>
      suite.book.openAccount(suite.em(), {
        code: `x:${id()}`,
        kind: 'HOLDER',
        owner: { kind: '', id: 'y'.repeat(201), scopeId: '' },
      }),
    );
    expect(err).toBeInstanceOf(InvalidBookInput);
    expect((err as InvalidBookInput).fields.map((f) => f.field).sort()).toEqual([
      'owner.id',
      'owner.kind',
      'owner.scopeId',
    ]);
  });
});

describe('accounts and lockAccounts', () => {
  it('reads a set of accounts by ids, codes or owner, in id order, with what they can spend', async () => {
    const w = await world();
    await w.move(w.issuer, w.account(w.card1, w.c1), 500, 'TOPUP');
    await w.move(w.issuer, w.account(w.card1, w.c2), 300, 'TOPUP');
    await w.move(w.account(w.card1, w.c1), w.shop(w.shop1), 120, 'PAYMENT');
    const em = suite.em();
    const mine = await suite.book.accounts(em, { owner: { kind: 'card', ids: [w.card1] } });
    expect(mine.map((a) => a.id)).toEqual(
      [w.account(w.card1, w.c1), w.account(w.card1, w.c2)].sort(),
    );
    expect(new Map(mine.map((a) => [a.owner!.scopeId, a.available]))).toEqual(
      new Map([
        [w.c1, 380],
        [w.c2, 300],
      ]),
    );
    const campaign = await suite.book.accounts(em, {
      owner: { kind: 'card', scopeIds: [w.c1], accountKind: 'HOLDER' },
    });
    expect(campaign.map((a) => a.owner!.id).sort()).toEqual([w.card1, w.card2].sort());
    const byCode = await suite.book.accounts(em, {
      codes: [`card:${w.card1}:campaign:${w.c2}`, 'no-such-code'],
    });
    expect(byCode.map((a) => a.available)).toEqual([300]);
    const byId = await suite.book.accounts(em, { ids: [w.shop(w.shop1), id()] });
    expect(byId.map((a) => [a.code, a.available])).toEqual([[`shop:${w.shop1}`, 120]]);
    expect(await rejection(() => suite.book.accounts(em, { ids: ['nope'] }))).toBeInstanceOf(
      InvalidBookInput,
    );
  });

  it('locks the set in the caller’s transaction: a transfer on it waits for the commit', async () => {
    const w = await world();
    const a = w.account(w.card1, w.c1);
    await w.move(w.issuer, a, 100, 'TOPUP');
    expect(await rejection(() => suite.book.lockAccounts(suite.em(), { ids: [a] }))).toBeInstanceOf(
      Error,
    );

    let transferDone = false;
    let pending: Promise<unknown> = Promise.resolve();
    await suite.em().transactional(async (tx) => {
      const locked = await suite.book.lockAccounts(tx, { owner: { kind: 'card', ids: [w.card1] } });
      expect(locked.map((x) => x.id)).toEqual([...locked.map((x) => x.id)].sort());
      expect(locked.find((x) => x.id === a)!.available).toBe(100);
      pending = w.move(a, w.shop(w.shop1), 40, 'PAYMENT').then(() => (transferDone = true));
      await new Promise((r) => setTimeout(r, 300));
      // The concurrent payment is queued behind the lock: nothing moved yet.
      expect(transferDone).toBe(false);
      const [again] = await suite.book.accounts(tx, { ids: [a] });
      expect(again!.available).toBe(100);
    });
    await pending;
    expect(transferDone).toBe(true);
    expect((await suite.book.balance(suite.em(), a)).available).toBe(60);
  });
});

describe('statement', () => {
  it('lists the movements of a set newest first, signed from its side, a page at a time', async () => {
    const w = await world();
    const a1 = w.account(w.card1, w.c1);
    const a2 = w.account(w.card1, w.c2);
    await w.move(w.issuer, a1, 500, 'TOPUP', 'application:1');
    await w.move(a1, w.shop(w.shop1), 120, 'PAYMENT', 'payment:1');
    await w.move(a1, a2, 80, 'CARD_REPLACED');
    await w.move(w.shop(w.shop1), a1, 20, 'PAYMENT_VOID', 'payment:1');
    const card = { owner: { kind: 'card', ids: [w.card1] } };

    const all = await suite.book.statement(suite.em(), card, { limit: 10 });
    expect(all.next).toBeNull();
    expect(all.items.map((m) => [m.code, m.amount, m.accountId])).toEqual([
      ['PAYMENT_VOID', 20, a1],
      // A transfer between two accounts of the set: both sides, negative first.
      ['CARD_REPLACED', -80, a1],
      ['CARD_REPLACED', 80, a2],
      ['PAYMENT', -120, a1],
      ['TOPUP', 500, a1],
    ]);
    expect(all.items[0]).toMatchObject({
      counterpartyId: w.shop(w.shop1),
      reference: 'payment:1',
      status: 'POSTED',
      accountCode: `card:${w.card1}:campaign:${w.c1}`,
      accountOwner: { kind: 'card', id: w.card1, scopeId: w.c1 },
    });

    // Pages of 2: the two sides of CARD_REPLACED stay together.
    const first = await suite.book.statement(suite.em(), card, { limit: 2 });
    expect(first.items.map((m) => m.amount)).toEqual([20, -80, 80]);
    const second = await suite.book.statement(suite.em(), card, {
      limit: 2,
      before: first.next!,
    });
    expect(second.items.map((m) => m.amount)).toEqual([-120, 500]);
    expect(second.next).toBeNull();

    const payments = await suite.book.statement(
      suite.em(),
      { ids: [a1] },
      { codes: ['PAYMENT', 'PAYMENT_VOID'] },
    );
    expect(payments.items.map((m) => m.amount)).toEqual([20, -120]);
    expect(
      await rejection(() => suite.book.statement(suite.em(), card, { limit: 501 })),
    ).toBeInstanceOf(InvalidBookInput);
  });
});

describe('ownerTotals and movementTotals', () => {
  it('totals the accounts by owner or by scope, from the owner columns', async () => {
    const w = await world();
    await w.move(w.issuer, w.account(w.card1, w.c1), 500, 'TOPUP');
    await w.move(w.issuer, w.account(w.card1, w.c2), 300, 'TOPUP');
    await w.move(w.issuer, w.account(w.card2, w.c1), 200, 'TOPUP');
    await w.move(w.account(w.card1, w.c1), w.shop(w.shop1), 150, 'PAYMENT');
    await suite.book.hold(suite.em(), {
      id: id(),
      debit: w.account(w.card2, w.c1),
      credit: w.shop(w.shop2),
      amount: 50,
      timeoutSeconds: 60,
    });

    const byCard = await suite.book.ownerTotals(suite.em(), {
      kind: 'card',
      ids: [w.card1, w.card2],
    });
    expect(byCard).toEqual(
      [
        { id: w.card1, accounts: 2, dp: 150, cp: 800, dpe: 0 },
        { id: w.card2, accounts: 2, dp: 0, cp: 200, dpe: 50 },
      ]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((x) => ({
          ownerKind: 'card',
          ownerId: x.id,
          scopeId: null,
          accounts: x.accounts,
          debitsPosted: x.dp,
          creditsPosted: x.cp,
          debitsPending: x.dpe,
          creditsPending: 0,
          posted: x.cp - x.dp,
          available: x.cp - x.dp - x.dpe,
        })),
    );
    const byCampaign = await suite.book.ownerTotals(
      suite.em(),
      { kind: 'card', scopeIds: [w.c1, w.c2] },
      { by: 'scope' },
    );
    expect(new Map(byCampaign.map((t) => [t.scopeId, [t.accounts, t.available]]))).toEqual(
      new Map([
        [w.c1, [2, 500]],
        [w.c2, [2, 300]],
      ]),
    );
    const shops = await suite.book.ownerTotals(suite.em(), {
      kind: 'shop',
      ids: [w.shop1, w.shop2],
    });
    expect(shops.map((t) => [t.ownerId, t.posted, t.creditsPending])).toEqual(
      [
        [w.shop1, 150, 0],
        [w.shop2, 0, 50],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
  });

  it('sums the posted movements by code: per account, per reference, for the set', async () => {
    const w = await world();
    const a1 = w.account(w.card1, w.c1);
    const a2 = w.account(w.card2, w.c1);
    await w.move(w.issuer, a1, 500, 'TOPUP', 'application:a');
    await w.move(w.issuer, a1, 100, 'TOPUP', 'application:a');
    await w.move(w.issuer, a2, 200, 'TOPUP', 'application:b');
    await w.move(w.issuer, a2, 7, 'TOPUP', 'other');
    await w.move(a1, w.shop(w.shop1), 150, 'PAYMENT', 'payment:x');
    await w.move(a1, a2, 50, 'CARD_REPLACED');
    // A hold moves nothing until it is posted.
    await suite.book.hold(suite.em(), {
      id: id(),
      debit: a2,
      credit: w.shop(w.shop2),
      amount: 30,
      code: 'PAYMENT',
      timeoutSeconds: 60,
    });
    const campaign = { owner: { kind: 'card', scopeIds: [w.c1] } };

    const perAccount = await suite.book.movementTotals(suite.em(), campaign);
    const pick = (accountId: string, code: string) =>
      perAccount.find((t) => t.accountId === accountId && t.code === code);
    expect(pick(a1, 'TOPUP')).toMatchObject({ credits: 600, debits: 0, net: 600, count: 2 });
    expect(pick(a1, 'PAYMENT')).toMatchObject({ credits: 0, debits: 150, net: -150, count: 1 });
    expect(pick(a2, 'PAYMENT')).toBeUndefined();
    expect(pick(a2, 'CARD_REPLACED')).toMatchObject({ net: 50 });

    const whole = await suite.book.movementTotals(suite.em(), campaign, { by: 'set' });
    expect(whole.map((t) => [t.code, t.net])).toEqual([
      ['CARD_REPLACED', 0],
      ['PAYMENT', -150],
      ['TOPUP', 807],
    ]);
    expect(whole[0]!.lastAt.getTime()).toBeGreaterThanOrEqual(whole[0]!.firstAt.getTime());

    const byCard = await suite.book.movementTotals(suite.em(), campaign, {
      by: 'owner',
      codes: ['TOPUP'],
    });
    expect(new Map(byCard.map((t) => [t.ownerKey, t.credits]))).toEqual(
      new Map([
        [w.card1, 600],
        [w.card2, 207],
      ]),
    );
    const byCampaign = await suite.book.movementTotals(
      suite.em(),
      { owner: { kind: 'card', ids: [w.card1] } },
      { by: 'scope', codes: ['TOPUP', 'PAYMENT'] },
    );
    expect(byCampaign.map((t) => [t.ownerKey, t.code, t.net])).toEqual([
      [w.c1, 'PAYMENT', -150],
      [w.c1, 'TOPUP', 600],
    ]);

    const fromIssuer = await suite.book.movementTotals(
      suite.em(),
      { ids: [w.issuer] },
      { codes: ['TOPUP'], referencePrefix: 'application:', by: 'reference' },
    );
    expect(fromIssuer.map((t) => [t.reference, t.debits, t.count])).toEqual([
      ['application:a', 600, 2],
      ['application:b', 200, 1],
    ]);
  });
});

describe('movementGroups', () => {
  it('groups the posted movements of a set by any keys: counterparty owner, reference, day, transfer', async () => {
    const w = await world();
    const a1 = w.account(w.card1, w.c1);
    const a2 = w.account(w.card2, w.c1);
    const other = w.account(w.card1, w.c2);
    await w.move(w.issuer, a1, 500, 'TOPUP', 'application:a');
    await w.move(w.issuer, a2, 300, 'TOPUP', 'application:b');
    await w.move(w.issuer, other, 900, 'TOPUP');
    const p1 = await w.move(a1, w.shop(w.shop1), 120, 'PAYMENT', 'payment:1');
    const p2 = await w.move(a2, w.shop(w.shop1), 80, 'PAYMENT', 'payment:2');
    const p3 = await w.move(a2, w.shop(w.shop2), 40, 'PAYMENT', 'payment:3');
    await w.move(w.shop(w.shop2), a2, 40, 'PAYMENT_VOID', 'payment:3');
    await w.move(other, w.shop(w.shop1), 899, 'PAYMENT', 'payment:4');
    await w.move(a1, a2, 10, 'CARD_REPLACED');
    // A hold moves nothing until it is posted.
    await suite.book.hold(suite.em(), {
      id: id(),
      debit: a1,
      credit: w.shop(w.shop2),
      amount: 30,
      code: 'PAYMENT',
      timeoutSeconds: 60,
    });
    const campaign = { owner: { kind: 'card', scopeIds: [w.c1], accountKind: 'HOLDER' } };
    const { book } = suite;

    // The campaign's spending by shop: the counterparty's owner.
    const byShop = await book.movementGroups(suite.em(), campaign, {
      by: ['counterpartyOwner', 'code'],
      codes: ['PAYMENT', 'PAYMENT_VOID'],
    });
    const shopOf = (s: string) => ({ kind: 'shop', id: s, scopeId: null });
    expect(byShop.map((g) => [g.counterpartyOwner, g.code, g.debits, g.credits, g.count])).toEqual(
      [
        [shopOf(w.shop1), 'PAYMENT', 200, 0, 2],
        [shopOf(w.shop2), 'PAYMENT', 40, 0, 1],
        [shopOf(w.shop2), 'PAYMENT_VOID', 0, 40, 1],
      ].sort((x, y) => ((x[0] as { id: string }).id < (y[0] as { id: string }).id ? -1 : 1)),
    );
    expect(
      byShop.every((g) => g.accountId === null && g.reference === null && g.day === null),
    ).toBe(true);

    // One row per movement, with its reference and counterparty; the day in a time zone.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
    const perTransfer = await book.movementGroups(suite.em(), campaign, {
      by: ['transfer', 'reference', 'counterparty', 'day', 'account'],
      codes: ['PAYMENT'],
      timeZone: 'Europe/Rome',
    });
    expect(
      perTransfer
        .map((g) => [g.transferId, g.accountId, g.counterpartyId, g.reference, g.debits, g.day])
        .sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    ).toEqual(
      [
        [p1.id, a1, w.shop(w.shop1), 'payment:1', 120, today],
        [p2.id, a2, w.shop(w.shop1), 'payment:2', 80, today],
        [p3.id, a2, w.shop(w.shop2), 'payment:3', 40, today],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );

    // Seen from the shop: by card owner and scope of the paying accounts is `owner` of the set.
    const intoShop1 = await book.movementGroups(
      suite.em(),
      { owner: { kind: 'shop', ids: [w.shop1] } },
      { by: ['counterpartyOwner'], codes: ['PAYMENT'] },
    );
    expect(
      intoShop1.map((g) => [g.counterpartyOwner?.id, g.counterpartyOwner?.scopeId, g.credits]),
    ).toEqual(
      [
        [w.card1, w.c1, 120],
        [w.card2, w.c1, 80],
        [w.card1, w.c2, 899],
      ].sort((x, y) => (`${x[0]}${x[1]}` < `${y[0]}${y[1]}` ? -1 : 1)),
    );

    // By code and day for the whole set; CARD_REPLACED within the set nets 0; no keys: one row.
    const days = await book.movementGroups(suite.em(), campaign, {
      by: ['day', 'code'],
      timeZone: 'Europe/Rome',
    });
    expect(days.map((g) => [g.code, g.day, g.net])).toEqual([
      ['CARD_REPLACED', today, 0],
      ['PAYMENT', today, -240],
      ['PAYMENT_VOID', today, 40],
      ['TOPUP', today, 800],
    ]);
    const [whole] = await book.movementGroups(suite.em(), campaign, { by: [] });
    expect(whole).toMatchObject({ net: 600, count: 8, code: null, day: null });
    expect(await book.movementGroups(suite.em(), { ids: [id()] }, { by: [] })).toEqual([]);

    // Time and reference filters.
    const later = new Date(Date.now() + 60_000);
    expect(await book.movementGroups(suite.em(), campaign, { by: ['code'], from: later })).toEqual(
      [],
    );
    expect(
      (
        await book.movementGroups(suite.em(), campaign, {
          by: ['reference'],
          until: later,
          referencePrefix: 'payment:',
        })
      ).map((g) => [g.reference, g.net]),
    ).toEqual([
      ['payment:1', -120],
      ['payment:2', -80],
      ['payment:3', 0],
    ]);
  });

  it('checks the query', async () => {
    const err = await rejection(() =>
      suite.book.movementGroups(
        suite.em(),
        { ids: [id()] },
        {
          by: ['nope' as 'day'],
          timeZone: 'Mars/Olympus',
          from: new Date(NaN),
        },
      ),
    );
    expect(err).toBeInstanceOf(InvalidBookInput);
    expect((err as InvalidBookInput).fields.map((f) => f.field).sort()).toEqual([
      'by',
      'from',
      'timeZone',
    ]);
  });
});

describe('transfersById and snapshot', () => {
  it('reads transfers by id, in insertion order', async () => {
    const w = await world();
    const t1 = await w.move(w.issuer, w.account(w.card1, w.c1), 10, 'TOPUP');
    const t2 = await w.move(w.issuer, w.account(w.card1, w.c1), 20, 'TOPUP');
    const found = await suite.book.transfersById(suite.em(), [t2.id, id(), t1.id]);
    expect(found).toEqual([t1, t2]);
  });

  it('reads several times from one snapshot while money moves', async () => {
    const w = await world();
    const a = w.account(w.card1, w.c1);
    await w.move(w.issuer, a, 100, 'TOPUP');
    const seen = await suite.book.snapshot(suite.em(), async (view) => {
      const before = await suite.book.accounts(view, { ids: [a] });
      await w.move(a, w.shop(w.shop1), 30, 'PAYMENT');
      const after = await suite.book.accounts(view, { ids: [a] });
      const moves = await suite.book.movementTotals(view, { ids: [a] }, { by: 'set' });
      return { before: before[0]!.available, after: after[0]!.available, moves };
    });
    // The payment committed during the snapshot is not in it.
    expect(seen).toMatchObject({ before: 100, after: 100 });
    expect(seen.moves.map((t) => t.code)).toEqual(['TOPUP']);
    expect((await suite.book.balance(suite.em(), a)).available).toBe(70);
  });
});
