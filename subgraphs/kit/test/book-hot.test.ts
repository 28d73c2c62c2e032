import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Book } from '../src/book/book.js';
import {
  AccountConflict,
  AccountNotFound,
  InsufficientFunds,
  InvalidBookInput,
} from '../src/book/errors.js';
import { bookHotSql } from '../src/book/schema.js';
import { expectCleanBook, id, rejection, setupBookSuite, type BookSuite } from './book-helpers.js';
import { BOOK_BEFORE_HOT_SCHEMA, BOOK_BEFORE_HOT_SQL } from './fixtures/book-before-hot.js';

/*
 * Hot accounts (the kit's `bookHotSql`): a posted credit to a hot account is appended to
 * `book_pending_credit` without taking the account's row, and folded into it later. Every read
 * counts it at once; a debit or a hold from the account folds first; nothing is counted twice or
 * lost, whatever the interleaving of credits, debits and folds.
 */

let suite: BookSuite;
let book: Book;

beforeAll(async () => {
  // 50 concurrent payments, a transaction holding a row lock, and the test's own reads.
  suite = await setupBookSuite('hot', { poolMax: 60 });
  book = suite.book;
});
afterAll(async () => {
  await expectCleanBook(suite);
  await suite.close();
});

/** An issuer, `cards` funded holders, a hot shop and a cold one, unique to the calling test. */
async function world(cards: number, funds = 10_000) {
  const tag = id().slice(0, 8);
  const em = suite.em();
  const issuer = (
    await book.openAccount(em, { code: `issuer-${tag}`, kind: 'ISSUER', allowNegative: true })
  ).id;
  const shop = await book.openAccount(em, {
    code: `shop-${tag}`,
    kind: 'MERCHANT',
    hot: true,
    owner: { kind: 'shop', id: `hot-${tag}` },
  });
  const cold = (await book.openAccount(em, { code: `cold-${tag}`, kind: 'MERCHANT' })).id;
  const opened = await book.openAccounts(
    em,
    Array.from({ length: cards }, (_, i) => ({ code: `card-${tag}-${i}`, kind: 'HOLDER' })),
  );
  const holders = [...opened.values()].map((a) => a.id);
  if (holders.length)
    await book.transferMany(
      em,
      holders.map((h) => ({ id: id(), debit: issuer, credit: h, amount: funds })),
    );
  return { tag, issuer, shop: shop.id, shopOpened: shop, cold, cards: holders };
}

/** The account's own row, read straight from the table: what was folded into it so far. */
async function row(accountId: string) {
  const [r] = await suite.sql<{ credits_posted: string; debits_posted: string; hot: boolean }>(
    `select credits_posted::text, debits_posted::text, hot from book_test.book_account where id = ?`,
    [accountId],
  );
  return { creditsPosted: Number(r?.credits_posted), debitsPosted: Number(r?.debits_posted) };
}

async function pendingCredits(accountId: string): Promise<number> {
  const [r] = await suite.sql<{ n: string }>(
    `select count(*)::text as n from book_test.book_pending_credit where account_id = ?`,
    [accountId],
  );
  return Number(r?.n);
}

/** A promise and the function that settles it, to hold a transaction open until the test says. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('opening hot accounts', () => {
  it('opens a hot account, makes a cold one hot once, and never back', async () => {
    const w = await world(0);
    expect(w.shopOpened).toMatchObject({ hot: true, creditsPosted: 0, unfoldedCredits: 0 });
    // Opened again without `hot`: returned as it is (hot).
    const again = await book.openAccount(suite.em(), {
      code: `shop-${w.tag}`,
      kind: 'MERCHANT',
    });
    expect(again).toMatchObject({ id: w.shop, hot: true });
    // A cold account opened again with `hot: true` becomes hot, owner and all unchanged.
    expect((await book.balance(suite.em(), w.cold)).hot).toBe(false);
    const heated = await book.openAccount(suite.em(), {
      code: `cold-${w.tag}`,
      kind: 'MERCHANT',
      hot: true,
      owner: { kind: 'shop', id: `cold-${w.tag}` },
    });
    expect(heated).toMatchObject({
      id: w.cold,
      hot: true,
      owner: { kind: 'shop', id: `cold-${w.tag}` },
    });
    // openAccountId: the same account, by id only (its totals not read); the same rules.
    expect(
      await book.openAccountId(suite.em(), { code: `shop-${w.tag}`, kind: 'MERCHANT', hot: true }),
    ).toBe(w.shop);
    expect(
      await rejection(() =>
        book.openAccountId(suite.em(), { code: `shop-${w.tag}`, kind: 'HOLDER' }),
      ),
    ).toBeInstanceOf(AccountConflict);
    const fresh = await book.openAccountId(suite.em(), {
      code: `fresh-${w.tag}`,
      kind: 'MERCHANT',
      hot: true,
      owner: { kind: 'shop', id: `fresh-${w.tag}` },
    });
    expect(await book.balance(suite.em(), fresh)).toMatchObject({
      hot: true,
      owner: { kind: 'shop', id: `fresh-${w.tag}` },
    });
    const ownerless = await book.openAccountId(suite.em(), { code: `later-${w.tag}`, kind: 'X' });
    expect(
      await book.openAccountId(suite.em(), {
        code: `later-${w.tag}`,
        kind: 'X',
        hot: true,
        owner: { kind: 'shop', id: `later-${w.tag}` },
      }),
    ).toBe(ownerless);
    expect(await book.balance(suite.em(), ownerless)).toMatchObject({
      hot: true,
      owner: { kind: 'shop', id: `later-${w.tag}` },
    });
    // makeHot: idempotent, and AccountNotFound for an unknown account.
    expect((await book.makeHot(suite.em(), w.cold)).hot).toBe(true);
    expect(await rejection(() => book.makeHot(suite.em(), id()))).toBeInstanceOf(AccountNotFound);
    expect(await rejection(() => book.makeHot(suite.em(), 'nope'))).toBeInstanceOf(
      InvalidBookInput,
    );
    // openAccounts: the same code asked hot and cold in one batch is one hot account.
    const batch = await book.openAccounts(suite.em(), [
      { code: `batch-${w.tag}`, kind: 'MERCHANT' },
      { code: `batch-${w.tag}`, kind: 'MERCHANT', hot: true },
      { code: `batch-cold-${w.tag}`, kind: 'MERCHANT' },
    ]);
    expect(batch.get(`batch-${w.tag}`)!.hot).toBe(true);
    expect(batch.get(`batch-cold-${w.tag}`)!.hot).toBe(false);
    // And a cold account of the batch is made hot by a later batch asking for it.
    const later = await book.openAccounts(suite.em(), [
      { code: `batch-cold-${w.tag}`, kind: 'MERCHANT', hot: true },
    ]);
    expect(later.get(`batch-cold-${w.tag}`)!.hot).toBe(true);
    expect(
      await rejection(() =>
        book.openAccount(suite.em(), {
          code: `x-${w.tag}`,
          kind: 'MERCHANT',
          hot: 'yes' as unknown as boolean,
        }),
      ),
    ).toBeInstanceOf(InvalidBookInput);
  });
});

describe('hot credits in every read', () => {
  it('counts a credit in every read API and in the invariants as soon as it commits', async () => {
    const w = await world(3);
    const [c0, c1, c2] = w.cards as [string, string, string];
    const em = suite.em();
    // A single transfer, a batch, and the post of a hold: every kind of posted credit.
    await book.transfer(em, { id: id(), debit: c0, credit: w.shop, amount: 100, code: 'PAY' });
    await book.transferMany(em, [
      { id: id(), debit: c1, credit: w.shop, amount: 200, code: 'PAY' },
      { id: id(), debit: c2, credit: w.shop, amount: 300, code: 'PAY' },
      { id: id(), debit: c2, credit: w.cold, amount: 50, code: 'PAY' },
    ]);
    const hold = await book.hold(em, {
      id: id(),
      debit: c0,
      credit: w.shop,
      amount: 80,
      code: 'PAY',
      timeoutSeconds: 60,
    });
    await book.post(em, { id: id(), pendingId: hold.id, amount: 70 });
    const second = await book.hold(em, {
      id: id(),
      debit: c1,
      credit: w.shop,
      amount: 40,
      timeoutSeconds: 60,
    });

    // Nothing folded yet: the row holds none of the credits, the pending credits hold all four.
    expect(await row(w.shop)).toEqual({ creditsPosted: 0, debitsPosted: 0 });
    expect(await pendingCredits(w.shop)).toBe(4);
    const expected = {
      id: w.shop,
      hot: true,
      creditsPosted: 670,
      unfoldedCredits: 670,
      debitsPosted: 0,
      creditsPending: 40,
      posted: 670,
      available: 670,
    };
    expect(await book.balance(em, w.shop)).toMatchObject(expected);
    expect(await book.accounts(em, { ids: [w.shop, w.cold] })).toMatchObject(
      [expected, { id: w.cold, hot: false, creditsPosted: 50, unfoldedCredits: 0 }].sort((a, b) =>
        a.id < b.id ? -1 : 1,
      ),
    );
    expect(await book.accounts(em, { codes: [`shop-${w.tag}`] })).toMatchObject([expected]);
    const locked = await suite
      .em()
      .transactional((tx) =>
        book.lockAccounts(tx, { owner: { kind: 'shop', ids: [`hot-${w.tag}`] } }),
      );
    expect(locked).toMatchObject([expected]);
    expect(await book.ownerTotals(em, { kind: 'shop', ids: [`hot-${w.tag}`] })).toMatchObject([
      { accounts: 1, creditsPosted: 670, creditsPending: 40, posted: 670, available: 670 },
    ]);
    expect(
      await book.snapshot(em, async (view) => (await book.balance(view, w.shop)).creditsPosted),
    ).toBe(670);
    expect(await book.movementTotals(em, { ids: [w.shop] }, { by: 'set' })).toMatchObject([
      { code: 'PAY', credits: 670, debits: 0, count: 4 },
    ]);
    const report = await book.checkInvariants(em);
    expect(report.problems).toEqual([]);
    expect(report.totals.unfoldedCredits).toBeGreaterThanOrEqual(670);
    expect(report.totals.creditsPosted).toBe(report.totals.debitsPosted);

    // Folding moves the credits into the row; every read stays the same.
    expect(await book.fold(em, [w.shop])).toEqual({ accounts: 1, cents: 670 });
    expect(await row(w.shop)).toEqual({ creditsPosted: 670, debitsPosted: 0 });
    expect(await pendingCredits(w.shop)).toBe(0);
    expect(await book.balance(em, w.shop)).toMatchObject({ ...expected, unfoldedCredits: 0 });
    expect(await book.fold(em, [w.shop])).toEqual({ accounts: 0, cents: 0 });
    // The hold still pending into the hot account stays on its row's credits_pending.
    await book.post(em, { id: id(), pendingId: second.id });
    expect(await book.balance(em, w.shop)).toMatchObject({
      creditsPosted: 710,
      unfoldedCredits: 40,
      creditsPending: 0,
    });
    await expectCleanBook(suite);
  });

  it('fold() without accounts folds every hot account with pending credits', async () => {
    const a = await world(1);
    const b = await world(1);
    await book.transfer(suite.em(), { id: id(), debit: a.cards[0]!, credit: a.shop, amount: 5 });
    await book.transfer(suite.em(), { id: id(), debit: b.cards[0]!, credit: b.shop, amount: 7 });
    const folded = await book.fold(suite.em());
    expect(folded.accounts).toBeGreaterThanOrEqual(2);
    expect(folded.cents).toBeGreaterThanOrEqual(12);
    expect(await pendingCredits(a.shop)).toBe(0);
    expect(await pendingCredits(b.shop)).toBe(0);
    expect(await row(a.shop)).toEqual({ creditsPosted: 5, debitsPosted: 0 });
    expect(await book.balance(suite.em(), b.shop)).toMatchObject({
      creditsPosted: 7,
      unfoldedCredits: 0,
    });
  });
});

describe('debits from a hot account', () => {
  it('spends every committed credit, not a cent more, by transfer, batch and hold', async () => {
    const w = await world(2);
    const [c0, c1] = w.cards as [string, string];
    for (const amount of [100, 200, 300])
      await book.transfer(suite.em(), { id: id(), debit: c0, credit: w.shop, amount });
    expect(await row(w.shop)).toMatchObject({ creditsPosted: 0 });
    // Exactly what it received, though none of it is in its row yet.
    expect(
      await rejection(() =>
        book.transfer(suite.em(), { id: id(), debit: w.shop, credit: w.cold, amount: 601 }),
      ),
    ).toMatchObject({ available: 600, amount: 601 });
    await book.transfer(suite.em(), { id: id(), debit: w.shop, credit: w.cold, amount: 250 });
    expect(await row(w.shop)).toEqual({ creditsPosted: 600, debitsPosted: 250 });
    // A batch that credits it and debits it: its own credits in the batch do not count.
    await book.transfer(suite.em(), { id: id(), debit: c1, credit: w.shop, amount: 50 });
    const refused = await rejection(() =>
      book.transferMany(suite.em(), [
        { id: id(), debit: c1, credit: w.shop, amount: 1000 },
        { id: id(), debit: w.shop, credit: w.cold, amount: 401 },
      ]),
    );
    expect(refused).toBeInstanceOf(InsufficientFunds);
    expect(refused).toMatchObject({ available: 400, amount: 401 });
    await book.transferMany(suite.em(), [
      { id: id(), debit: c1, credit: w.shop, amount: 1000 },
      { id: id(), debit: w.shop, credit: w.cold, amount: 400 },
    ]);
    expect(await book.balance(suite.em(), w.shop)).toMatchObject({
      posted: 1000,
      unfoldedCredits: 1000,
    });
    // A hold from it: the credit just received is spendable.
    expect(
      await rejection(() =>
        book.hold(suite.em(), {
          id: id(),
          debit: w.shop,
          credit: w.cold,
          amount: 1001,
          timeoutSeconds: 60,
        }),
      ),
    ).toMatchObject({ available: 1000, amount: 1001 });
    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: w.shop,
      credit: w.cold,
      amount: 1000,
      timeoutSeconds: 60,
    });
    expect(await book.balance(suite.em(), w.shop)).toMatchObject({
      available: 0,
      unfoldedCredits: 0,
    });
    await book.void(suite.em(), { id: id(), pendingId: hold.id });
    await expectCleanBook(suite);
  });

  it('the triggers fold before a debit too: raw SQL cannot spend what the row does not hold', async () => {
    const w = await world(1);
    await book.transfer(suite.em(), { id: id(), debit: w.cards[0]!, credit: w.shop, amount: 500 });
    // Inserted without the kit: the statement trigger folds the shop first, so 500 are spendable...
    await suite.sql(
      `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status)
       values (?, ?, ?, 500, 'POSTED')`,
      [id(), w.shop, w.cold],
    );
    expect(await row(w.shop)).toEqual({ creditsPosted: 500, debitsPosted: 500 });
    // ...and not a cent more (the CHECK), by a transfer or by a hold (the per-row trigger).
    await book.transfer(suite.em(), { id: id(), debit: w.cards[0]!, credit: w.shop, amount: 30 });
    const overdraw = (extra: string) =>
      rejection(() =>
        suite.sql(
          `insert into book_test.book_transfer
             (id, debit_account_id, credit_account_id, amount, status${extra ? ', expires_at' : ''})
           values (?, ?, ?, 31, ?${extra})`,
          [id(), w.shop, w.cold, extra ? 'PENDING' : 'POSTED'],
        ),
      );
    expect(await overdraw('')).toMatchObject({ code: '23514' });
    expect(await overdraw(", now() + interval '1 minute'")).toMatchObject({ code: '23514' });
    await suite.sql(
      `insert into book_test.book_transfer
         (id, debit_account_id, credit_account_id, amount, status, expires_at)
       values (?, ?, ?, 30, 'PENDING', now() + interval '1 minute')`,
      [id(), w.shop, w.cold],
    );
    expect(await book.balance(suite.em(), w.shop)).toMatchObject({
      available: 0,
      unfoldedCredits: 0,
      debitsPending: 30,
    });
  });

  it('concurrent credits, debits and holds never overdraw it and lose nothing', async () => {
    const CREDITS = 20;
    const DEBITS = 30;
    const AMOUNT = 100;
    const w = await world(CREDITS, AMOUNT);
    const sink = w.cold;
    // Every call at once, each on its own connection: 20 payments into the shop, interleaved with
    // 30 debits and holds out of it, which together ask for more than it will ever hold.
    const kinds = Array.from({ length: CREDITS + DEBITS }, (_, i) =>
      i % 5 === 0 || i % 5 === 2 ? 'credit' : i % 3 ? 'debit' : 'hold',
    );
    let card = 0;
    const calls = kinds.map((kind) => {
      const em = suite.em();
      if (kind === 'credit')
        return book.transfer(em, {
          id: id(),
          debit: w.cards[card++]!,
          credit: w.shop,
          amount: AMOUNT,
        });
      if (kind === 'debit')
        return book.transfer(em, { id: id(), debit: w.shop, credit: sink, amount: AMOUNT });
      return book.hold(em, {
        id: id(),
        debit: w.shop,
        credit: sink,
        amount: AMOUNT,
        timeoutSeconds: 600,
      });
    });
    const results = await Promise.allSettled(calls);
    const ok = (kind: string) =>
      results.filter((r, i) => kinds[i] === kind && r.status === 'fulfilled').length;
    const failures = results.filter((r) => r.status === 'rejected');
    // Only overdrafts refused; every payment into the shop went through.
    expect(failures.every((r) => r.reason instanceof InsufficientFunds)).toBe(true);
    expect(kinds.filter((k) => k === 'credit')).toHaveLength(CREDITS);
    expect(ok('credit')).toBe(CREDITS);
    expect(ok('debit') + ok('hold')).toBeLessThanOrEqual(CREDITS);
    const shop = await book.balance(suite.em(), w.shop);
    expect(shop).toMatchObject({
      creditsPosted: CREDITS * AMOUNT,
      debitsPosted: ok('debit') * AMOUNT,
      debitsPending: ok('hold') * AMOUNT,
      available: (CREDITS - ok('debit') - ok('hold')) * AMOUNT,
    });
    expect((await book.balance(suite.em(), sink)).creditsPosted).toBe(ok('debit') * AMOUNT);
    const report = await book.checkInvariants(suite.em());
    expect(report.problems).toEqual([]);
    expect(report.negativeAccounts).toEqual([]);
    // Whatever the race left, one more payment and the shop spends exactly all it has.
    await book.transfer(suite.em(), { id: id(), debit: w.issuer, credit: w.shop, amount: 1 });
    const left = (await book.balance(suite.em(), w.shop)).available;
    expect((await book.balance(suite.em(), w.shop)).unfoldedCredits).toBeGreaterThan(0);
    expect(
      await rejection(() =>
        book.transfer(suite.em(), { id: id(), debit: w.shop, credit: sink, amount: left + 1 }),
      ),
    ).toBeInstanceOf(InsufficientFunds);
    await book.transfer(suite.em(), { id: id(), debit: w.shop, credit: sink, amount: left });
    expect((await book.balance(suite.em(), w.shop)).available).toBe(0);
  });
});

describe('payments to one hot account', () => {
  it('50 connections credit it while a transaction holds its row locked; then a fold adds them', async () => {
    const PAYMENTS = 50;
    const AMOUNT = 37;
    const w = await world(PAYMENTS);
    // A transaction that locks the shop's row as a debit would, and stays open.
    const release = gate();
    const locked = gate();
    const holder = suite.em().transactional(async (tx) => {
      const [shop] = await book.lockAccounts(tx, { ids: [w.shop] });
      expect(shop?.id).toBe(w.shop);
      locked.open();
      await release.opened;
    });
    await locked.opened;
    // Each payment in its own transaction, which gives up on any lock it waits for over 5 s: a
    // payment that needed the shop's row would fail with 55P03 instead of committing.
    const pay = (em: EntityManager, debit: string, credit: string) =>
      em.transactional(async (tx) => {
        await tx.execute(`set local lock_timeout = '5s'`);
        return book.transfer(tx, { id: id(), debit, credit, amount: AMOUNT });
      });
    const results = await Promise.allSettled(w.cards.map((card) => pay(suite.em(), card, w.shop)));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    // Committed while the row is still locked: counted at once, none of it in the row.
    expect(await book.balance(suite.em(), w.shop)).toMatchObject({
      creditsPosted: PAYMENTS * AMOUNT,
      unfoldedCredits: PAYMENTS * AMOUNT,
    });
    expect(await pendingCredits(w.shop)).toBe(PAYMENTS);
    // The control: the same payment to a cold account locked the same way waits for its row.
    const coldLocked = gate();
    const coldRelease = gate();
    const coldHolder = suite.em().transactional(async (tx) => {
      await book.lockAccounts(tx, { ids: [w.cold] });
      coldLocked.open();
      await coldRelease.opened;
    });
    await coldLocked.opened;
    const waited = await rejection(() =>
      suite.em().transactional(async (tx) => {
        await tx.execute(`set local lock_timeout = '300ms'`);
        return book.transfer(tx, { id: id(), debit: w.cards[0]!, credit: w.cold, amount: 1 });
      }),
    );
    expect((waited as { code?: string }).code).toBe('55P03');
    coldRelease.open();
    await coldHolder;

    release.open();
    await holder;
    expect(await book.fold(suite.em(), [w.shop])).toEqual({
      accounts: 1,
      cents: PAYMENTS * AMOUNT,
    });
    expect(await row(w.shop)).toEqual({ creditsPosted: PAYMENTS * AMOUNT, debitsPosted: 0 });
    for (const card of w.cards)
      expect((await book.balance(suite.em(), card)).available).toBe(10_000 - AMOUNT);
    await expectCleanBook(suite);
  });

  it('folds and payments run at the same time without waiting for each other or losing a cent', async () => {
    const PAYMENTS = 40;
    const w = await world(PAYMENTS);
    // The book's invariants, read on snapshots meanwhile: every one of them adds up.
    const reads = Promise.all(Array.from({ length: 4 }, () => book.checkInvariants(suite.em())));
    const calls = [
      ...w.cards.map((card, i) =>
        book.transfer(suite.em(), { id: id(), debit: card, credit: w.shop, amount: 10 + i }),
      ),
      ...Array.from({ length: 10 }, () => book.fold(suite.em(), [w.shop])),
    ];
    const results = await Promise.all(calls);
    for (const report of await reads) expect(report.problems).toEqual([]);
    const folded = results
      .slice(PAYMENTS)
      .reduce((sum, r) => sum + (r as { cents: number }).cents, 0);
    const total = Array.from({ length: PAYMENTS }, (_, i) => 10 + i).reduce((x, y) => x + y, 0);
    const last = await book.fold(suite.em(), [w.shop]);
    // Every credit folded exactly once, by one of the folds.
    expect(folded + last.cents).toBe(total);
    expect(await row(w.shop)).toEqual({ creditsPosted: total, debitsPosted: 0 });
    expect(await book.balance(suite.em(), w.shop)).toMatchObject({
      creditsPosted: total,
      unfoldedCredits: 0,
    });
  });
});

describe('a credit not yet committed', () => {
  it('is neither counted nor folded, does not hold up a fold, and is folded by a later fold', async () => {
    const w = await world(2);
    const [c0, c1] = w.cards as [string, string];
    await book.transfer(suite.em(), { id: id(), debit: c0, credit: w.shop, amount: 300 });
    const commit = gate();
    const credited = gate();
    const open = suite.em().transactional(async (tx) => {
      await book.transfer(tx, { id: id(), debit: c1, credit: w.shop, amount: 700 });
      credited.open();
      await commit.opened;
    });
    await credited.opened;
    // The open transaction's credit is invisible: not counted, not folded, not spendable; the fold
    // does not wait for it.
    expect(await book.fold(suite.em(), [w.shop])).toEqual({ accounts: 1, cents: 300 });
    expect(await book.balance(suite.em(), w.shop)).toMatchObject({
      creditsPosted: 300,
      unfoldedCredits: 0,
    });
    expect(
      await rejection(() =>
        book.transfer(suite.em(), { id: id(), debit: w.shop, credit: w.cold, amount: 301 }),
      ),
    ).toMatchObject({ available: 300 });
    commit.open();
    await open;
    expect(await book.balance(suite.em(), w.shop)).toMatchObject({
      creditsPosted: 1000,
      unfoldedCredits: 700,
    });
    // A credit rolled back leaves nothing to fold.
    await rejection(() =>
      suite.em().transactional(async (tx) => {
        await book.transfer(tx, { id: id(), debit: c1, credit: w.shop, amount: 5 });
        throw new Error('rolled back');
      }),
    );
    expect(await book.fold(suite.em(), [w.shop])).toEqual({ accounts: 1, cents: 700 });
    expect(await row(w.shop)).toEqual({ creditsPosted: 1000, debitsPosted: 0 });
    await book.transfer(suite.em(), { id: id(), debit: w.shop, credit: w.cold, amount: 1000 });
    await expectCleanBook(suite);
  });
});

describe('the pending credits in the database', () => {
  async function refused(query: string, params: unknown[] = []) {
    const err = (await rejection(() => suite.sql(query, params))) as Error & { code?: string };
    return { code: err.code, message: err.message };
  }

  it('refuse a delete, an update, a truncation or an insert by hand, and a cold switch', async () => {
    const w = await world(1);
    const payment = await book.transfer(suite.em(), {
      id: id(),
      debit: w.cards[0]!,
      credit: w.shop,
      amount: 40,
    });
    expect(
      await refused(`delete from book_test.book_pending_credit where account_id = ?`, [w.shop]),
    ).toMatchObject({
      code: '23001',
      message: expect.stringContaining('removed by book_fold') as unknown,
    });
    expect(
      await refused(`update book_test.book_pending_credit set amount = 1 where account_id = ?`, [
        w.shop,
      ]),
    ).toMatchObject({ code: '23001' });
    expect(await refused(`truncate book_test.book_pending_credit`)).toMatchObject({
      code: '23001',
    });
    expect(
      await refused(
        `insert into book_test.book_pending_credit (transfer_id, account_id, amount) values (?, ?, 1)`,
        [id(), w.shop],
      ),
    ).toMatchObject({ code: '23001' });
    expect(
      await refused(`update book_test.book_account set hot = false where id = ?`, [w.shop]),
    ).toMatchObject({
      code: '23001',
      message: expect.stringContaining('accounts are immutable') as unknown,
    });
    expect(
      await refused(`update book_test.book_account set hot = true, kind = 'X' where id = ?`, [
        w.cold,
      ]),
    ).toMatchObject({ code: '23001' });
    expect(
      await refused(
        `update book_test.book_account set credits_posted = credits_posted + 40 where id = ?`,
        [w.shop],
      ),
    ).toMatchObject({ code: '23001' });
    expect(await pendingCredits(w.shop)).toBe(1);
    expect(await book.balance(suite.em(), w.shop)).toMatchObject({
      creditsPosted: 40,
      unfoldedCredits: 40,
    });
    // The fold's setting, forged: the delete goes through, but its trigger folds what it removed
    // into the account's row in the same statement. No money leaves the book.
    await suite.em().transactional(async (tx) => {
      await tx.execute(`set local book.fold = 'on'`);
      await tx.execute(`delete from book_test.book_pending_credit where transfer_id = ?`, [
        payment.id,
      ]);
    });
    expect(await row(w.shop)).toEqual({ creditsPosted: 40, debitsPosted: 0 });
    expect(await book.balance(suite.em(), w.shop)).toMatchObject({
      creditsPosted: 40,
      unfoldedCredits: 0,
    });
    await expectCleanBook(suite);
  });

  it('the invariants catch a pending credit that is not its transfer’s', async () => {
    await suite.createSchema('book_hot_damaged');
    const damaged = new Book('book_hot_damaged');
    const em = suite.em();
    const issuer = await damaged.openAccount(em, {
      code: 'issuer',
      kind: 'ISSUER',
      allowNegative: true,
    });
    const shop = await damaged.openAccount(em, { code: 'shop', kind: 'MERCHANT', hot: true });
    const t = await damaged.transfer(em, {
      id: id(),
      debit: issuer.id,
      credit: shop.id,
      amount: 100,
    });
    expect((await damaged.checkInvariants(em)).ok).toBe(true);
    // The schema's owner switches the guard off (DDL) and edits the pending credit.
    await suite.sql(
      `alter table book_hot_damaged.book_pending_credit disable trigger book_pending_credit_no_update`,
    );
    await suite.sql(`update book_hot_damaged.book_pending_credit set amount = 900`);
    const report = await damaged.checkInvariants(em);
    expect(report.ok).toBe(false);
    expect(report.badPendingCredits).toEqual([
      { transferId: t.id, problem: 'a pending credit of another amount than its transfer' },
    ]);
    expect(report.mismatchedAccounts).toEqual([
      { accountId: shop.id, code: 'shop', stored: [0, 900, 0, 0], computed: [0, 100, 0, 0] },
    ]);
    expect(report.totals).toMatchObject({ creditsPosted: 900, unfoldedCredits: 900 });
    expect(report.problems).toContain('posted debits 100 differ from posted credits 900');
    await suite.sql(`drop schema book_hot_damaged cascade`);
  });
});

/** The book's objects in `schema`, its name replaced, for comparing two books. */
async function bookCatalog(schema: string): Promise<string[]> {
  const rows = await suite.sql<{ item: string }>(
    `select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
              || ' ' || coalesce(column_default, '') as item
       from information_schema.columns where table_schema = ?
     union all
     select 'constraint ' || c.conrelid::regclass::text || ' ' || c.conname || ' '
              || pg_get_constraintdef(c.oid)
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = ?
     union all
     select 'index ' || indexdef from pg_indexes where schemaname = ?
     union all
     select 'trigger ' || pg_get_triggerdef(t.oid)
       from pg_trigger t join pg_class r on r.oid = t.tgrelid join pg_namespace n on n.oid = r.relnamespace
      where n.nspname = ? and not t.tgisinternal
     union all
     select 'function ' || pg_get_functiondef(p.oid)
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = ?
     order by 1`,
    [schema, schema, schema, schema, schema],
  );
  return rows.map((r) => r.item.replaceAll(schema, '<schema>'));
}

describe('a book created before hot accounts', () => {
  it('is brought to the current book by bookHotSql, with the same balances and invariants', async () => {
    const s = BOOK_BEFORE_HOT_SCHEMA;
    await suite.sql(`drop schema if exists ${s} cascade`);
    await suite.sql(`drop schema if exists book_hot_new cascade`);
    await suite.em().transactional(async (tx) => {
      await tx.execute(`create schema ${s}`);
      for (const statement of BOOK_BEFORE_HOT_SQL) await tx.execute(statement);
    });
    // Money moved by the old book, with raw SQL (the kit's Book reads the current schema only).
    const open = async (code: string, kind: string, owner: string | null) => {
      const [r] = await suite.sql<{ id: string }>(
        `insert into ${s}.book_account (code, kind, allow_negative, owner_kind, owner_id)
         values (?, ?, ?, ?, ?) returning id`,
        [code, kind, kind === 'ISSUER', owner && 'shop', owner],
      );
      return r!.id;
    };
    const issuer = await open('issuer', 'ISSUER', null);
    const alice = await open('alice', 'HOLDER', null);
    const bob = await open('bob', 'HOLDER', null);
    const shop = await open('shop:1', 'MERCHANT', '1');
    const move = async (debit: string, credit: string, amount: number) =>
      suite.sql(
        `insert into ${s}.book_transfer (id, debit_account_id, credit_account_id, amount, status)
         values (?, ?, ?, ?, 'POSTED')`,
        [id(), debit, credit, amount],
      );
    const hold = async (debit: string, credit: string, amount: number) => {
      const holdId = id();
      await suite.sql(
        `insert into ${s}.book_transfer
           (id, debit_account_id, credit_account_id, amount, status, expires_at)
         values (?, ?, ?, ?, 'PENDING', now() + interval '1 hour')`,
        [holdId, debit, credit, amount],
      );
      return holdId;
    };
    const resolve = async (holdId: string, status: string, amount: number, accounts: string[]) =>
      suite.sql(
        `insert into ${s}.book_transfer
           (id, debit_account_id, credit_account_id, amount, status, pending_id)
         values (?, ?, ?, ?, ?, ?)`,
        [id(), accounts[0], accounts[1], amount, status, holdId],
      );
    await move(issuer, alice, 5000);
    await move(issuer, bob, 3000);
    await move(alice, shop, 1200);
    await move(bob, shop, 800);
    await move(shop, issuer, 500);
    const posted = await hold(alice, shop, 400);
    await resolve(posted, 'POSTED', 300, [alice, shop]);
    await resolve(await hold(bob, shop, 100), 'VOIDED', 100, [bob, shop]);
    const pending = await hold(alice, shop, 250);
    const before = await suite.sql(
      `select id, debits_posted::text, credits_posted::text, debits_pending::text,
         credits_pending::text from ${s}.book_account order by id`,
    );

    await suite.em().transactional(async (tx) => {
      for (const statement of bookHotSql(s)) await tx.execute(statement);
    });
    const upgraded = new Book(s);
    const ids = [issuer, alice, bob, shop];
    expect(
      (await upgraded.accounts(suite.em(), { ids })).map((a) => ({
        id: a.id,
        debits_posted: String(a.debitsPosted),
        credits_posted: String(a.creditsPosted),
        debits_pending: String(a.debitsPending),
        credits_pending: String(a.creditsPending),
      })),
    ).toEqual(before);
    expect(await upgraded.balance(suite.em(), shop)).toMatchObject({
      hot: false,
      posted: 1800,
      creditsPending: 250,
    });
    const clean = async () => {
      const report = await upgraded.checkInvariants(suite.em());
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    };
    await clean();

    // The shops made hot as a migration would (the guard lets `hot` go on once, alone).
    await suite.sql(`update ${s}.book_account set hot = true where owner_kind = 'shop'`);
    await upgraded.transfer(suite.em(), { id: id(), debit: bob, credit: shop, amount: 700 });
    await upgraded.post(suite.em(), { id: id(), pendingId: pending });
    expect(await upgraded.balance(suite.em(), shop)).toMatchObject({
      hot: true,
      posted: 2750,
      unfoldedCredits: 950,
      creditsPending: 0,
    });
    await clean();
    await upgraded.transfer(suite.em(), { id: id(), debit: shop, credit: issuer, amount: 2750 });
    expect(await upgraded.balance(suite.em(), shop)).toMatchObject({
      posted: 0,
      unfoldedCredits: 0,
    });
    await clean();

    // And the upgraded book is, object by object, the book a new schema gets today.
    await suite.createSchema('book_hot_new');
    expect(await bookCatalog(s)).toEqual(await bookCatalog('book_hot_new'));
    await suite.sql(`drop schema ${s} cascade`);
    await suite.sql(`drop schema book_hot_new cascade`);
  });
});
