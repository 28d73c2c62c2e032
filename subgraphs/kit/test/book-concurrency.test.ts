import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Book } from '../src/book/book.js';
import { HoldNotPending, InsufficientFunds, TransferConflict } from '../src/book/errors.js';
import { expectCleanBook, id, setupBookSuite, type BookSuite } from './book-helpers.js';

let suite: BookSuite;
let book: Book;
const AMOUNT_OF_BATCH = 30;
const T0 = new Date('2026-03-01T10:00:00.000Z');

beforeAll(async () => {
  // Enough connections for the requests to really overlap (the test server allows 300).
  suite = await setupBookSuite('concurrency', { poolMax: 30, book: { now: () => T0 } });
  book = suite.book;
});
afterAll(async () => {
  await expectCleanBook(suite);
  await suite.close();
});

async function accounts() {
  const tag = id().slice(0, 8);
  const em = suite.em();
  const issuer = await book.openAccount(em, {
    code: `issuer-${tag}`,
    kind: 'ISSUER',
    allowNegative: true,
  });
  const card = await book.openAccount(em, { code: `card-${tag}`, kind: 'HOLDER' });
  const shop = await book.openAccount(em, { code: `shop-${tag}`, kind: 'MERCHANT' });
  return { issuer: issuer.id, card: card.id, shop: shop.id };
}

interface Tally {
  ok: number;
  insufficient: number;
  other: unknown[];
}

/** Starts every call at once, each on its own EntityManager (its own connection and transaction). */
async function together(n: number, call: (em: EntityManager, i: number) => Promise<unknown>) {
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => call(suite.em(), i)),
  );
  const tally: Tally = { ok: 0, insufficient: 0, other: [] };
  for (const r of results) {
    if (r.status === 'fulfilled') tally.ok++;
    else if (r.reason instanceof InsufficientFunds) tally.insufficient++;
    else tally.other.push(r.reason);
  }
  return tally;
}

/** The outcome the issue asks for: floor(B / amount) debits succeed, the rest are InsufficientFunds. */
function expectExactOutcome(tally: Tally, n: number, balance: number, amount: number): void {
  const fit = Math.floor(balance / amount);
  expect(tally.other).toEqual([]);
  expect(tally.ok).toBe(fit);
  expect(tally.insufficient).toBe(n - fit);
}

describe('concurrent debits of one account', () => {
  const N = 100;
  const BALANCE = 1000;
  const AMOUNT = 30;

  it('100 concurrent debits: exactly floor(B / amount) succeed, the rest are InsufficientFunds', async () => {
    const a = await accounts();
    await book.transfer(suite.em(), { id: id(), debit: a.issuer, credit: a.card, amount: BALANCE });
    const tally = await together(N, (em) =>
      book.transfer(em, { id: id(), debit: a.card, credit: a.shop, amount: AMOUNT }),
    );
    expectExactOutcome(tally, N, BALANCE, AMOUNT);
    expect(await book.balance(suite.em(), a.card)).toMatchObject({
      posted: BALANCE % AMOUNT,
      available: BALANCE % AMOUNT,
    });
    expect((await book.balance(suite.em(), a.shop)).posted).toBe(33 * AMOUNT);
    expect((await book.transfers(suite.em(), a.card, { limit: 500 })).items).toHaveLength(34);
  });

  it('the same check catches a naive debit (unlocked read, funds checked in code)', async () => {
    // Kept in the test, never in the product: every request reads the balance before any of them
    // writes, so every check passes. The database still refuses the overdraft (its CHECK), but not
    // as InsufficientFunds: the assertion above would fail for such an implementation.
    const a = await accounts();
    await book.transfer(suite.em(), { id: id(), debit: a.issuer, credit: a.card, amount: BALANCE });
    let read = 0;
    let allRead!: () => void;
    const barrier = new Promise<void>((resolve) => (allRead = resolve));
    const naive = async (em: EntityManager) => {
      const [row] = await em.execute<{ available: string }[]>(
        `select credits_posted - debits_posted - debits_pending as available
         from book_test.book_account where id = ?`,
        [a.card],
      );
      if (++read === N) allRead();
      await barrier;
      const available = Number(row?.available);
      if (available < AMOUNT) throw new InsufficientFunds(a.card, available, AMOUNT);
      await em.execute(
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status)
         values (?, ?, ?, ?, 'POSTED')`,
        [id(), a.card, a.shop, AMOUNT],
      );
    };
    const tally = await together(N, naive);
    expect(() => expectExactOutcome(tally, N, BALANCE, AMOUNT)).toThrow();
    expect(tally.insufficient).toBe(0);
    expect(tally.ok).toBe(33);
    expect(tally.other.map((e) => (e as { code?: string }).code)).toEqual(Array(67).fill('23514'));
    expect((await book.balance(suite.em(), a.card)).available).toBe(10);
  });

  it('concurrent holds and debits share the same funds', async () => {
    const a = await accounts();
    await book.transfer(suite.em(), { id: id(), debit: a.issuer, credit: a.card, amount: BALANCE });
    const tally = await together(N, (em, i) =>
      i % 2
        ? book.hold(em, {
            id: id(),
            debit: a.card,
            credit: a.shop,
            amount: AMOUNT,
            timeoutSeconds: 60,
          })
        : book.transfer(em, { id: id(), debit: a.card, credit: a.shop, amount: AMOUNT }),
    );
    expectExactOutcome(tally, N, BALANCE, AMOUNT);
    expect((await book.balance(suite.em(), a.card)).available).toBe(10);
  });
});

describe('other races', () => {
  it('opposite transfers between two accounts never deadlock', async () => {
    const a = await accounts();
    const other = (await book.openAccount(suite.em(), { code: `card2-${id()}`, kind: 'HOLDER' }))
      .id;
    await book.transfer(suite.em(), { id: id(), debit: a.issuer, credit: a.card, amount: 10_000 });
    await book.transfer(suite.em(), { id: id(), debit: a.issuer, credit: other, amount: 10_000 });
    const tally = await together(80, (em, i) =>
      book.transfer(em, {
        id: id(),
        debit: i % 2 ? a.card : other,
        credit: i % 2 ? other : a.card,
        amount: 7,
      }),
    );
    expect(tally).toEqual({ ok: 80, insufficient: 0, other: [] });
    expect((await book.balance(suite.em(), a.card)).posted).toBe(10_000);
    expect((await book.balance(suite.em(), other)).posted).toBe(10_000);
  });

  it('the same id sent many times at once is applied once; a changed copy is refused', async () => {
    const a = await accounts();
    const input = { id: id(), debit: a.issuer, credit: a.card, amount: 123 };
    const same = await Promise.all(
      Array.from({ length: 20 }, () => book.transfer(suite.em(), input)),
    );
    expect(new Set(same.map((t) => JSON.stringify(t))).size).toBe(1);
    expect((await book.balance(suite.em(), a.card)).posted).toBe(123);

    const contested = id();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        book.transfer(suite.em(), {
          id: contested,
          debit: a.issuer,
          credit: a.card,
          amount: 1 + i,
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 'rejected' && r.reason instanceof TransferConflict),
    ).toHaveLength(19);
    const amount = (won[0] as PromiseFulfilledResult<{ amount: number }>).value.amount;
    expect((await book.balance(suite.em(), a.card)).posted).toBe(123 + amount);
  });

  it('post, void and expiry racing on the same holds: each hold resolves once', async () => {
    const a = await accounts();
    const HOLDS = 30;
    await book.transfer(suite.em(), {
      id: id(),
      debit: a.issuer,
      credit: a.card,
      amount: 10 * HOLDS,
    });
    const holds = [];
    for (let i = 0; i < HOLDS; i++)
      holds.push(
        await book.hold(suite.em(), {
          id: id(),
          debit: a.card,
          credit: a.shop,
          amount: 10,
          timeoutSeconds: 60,
        }),
      );
    const later = new Date(T0.getTime() + 120_000);
    // Requests start in a scrambled order (connections are handed out first come, first served), so
    // that posts, voids and expiries each win some of the holds.
    const starts = [
      ...holds.map((h) => ({ kind: 'post', hold: h.id })),
      ...holds.map((h) => ({ kind: 'void', hold: h.id })),
      ...Array.from({ length: 6 }, () => ({ kind: 'expire', hold: '' })),
    ]
      .map((start, i) => ({ ...start, order: (i * 37) % 67 }))
      .sort((x, y) => x.order - y.order);
    const posts: Promise<unknown>[] = [];
    const voids: Promise<unknown>[] = [];
    const expiries: Promise<number>[] = [];
    for (const start of starts) {
      if (start.kind === 'post')
        posts.push(book.post(suite.em(), { id: id(), pendingId: start.hold, amount: 7 }));
      else if (start.kind === 'void')
        voids.push(book.void(suite.em(), { id: id(), pendingId: start.hold }));
      else expiries.push(book.expire(suite.em(), later));
    }
    const [posted, voided, expired] = await Promise.all([
      Promise.allSettled(posts),
      Promise.allSettled(voids),
      Promise.all(expiries),
    ]);
    const wins = (rs: PromiseSettledResult<unknown>[]) =>
      rs.filter((r) => r.status === 'fulfilled').length;
    const losers = [...posted, ...voided].filter((r) => r.status === 'rejected');
    expect(losers.every((r) => r.reason instanceof HoldNotPending)).toBe(true);
    const finals = await suite.sql<{ status: string; n: string }>(
      `select status, count(*)::text as n from book_test.book_transfer where id in (?) group by status`,
      [holds.map((h) => h.id)],
    );
    const final = (status: string) => Number(finals.find((f) => f.status === status)?.n ?? 0);
    expect(final('PENDING')).toBe(0);
    expect(final('POSTED')).toBe(wins(posted));
    expect(final('VOIDED')).toBe(wins(voided));
    expect(final('EXPIRED')).toBe(HOLDS - wins(posted) - wins(voided));
    expect(losers).toHaveLength(HOLDS + final('EXPIRED'));
    // Holds of earlier tests in this file may expire here too, never fewer than ours.
    expect(expired.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(final('EXPIRED'));

    const resolutions = await suite.sql<{ pending_id: string; n: string }>(
      `select pending_id, count(*)::text as n from book_test.book_transfer
       where pending_id in (?) group by pending_id`,
      [holds.map((h) => h.id)],
    );
    expect(resolutions).toHaveLength(HOLDS);
    expect(resolutions.every((r) => r.n === '1')).toBe(true);
    expect(await book.balance(suite.em(), a.card)).toMatchObject({
      debitsPending: 0,
      posted: 10 * HOLDS - 7 * wins(posted),
    });
    expect(await book.balance(suite.em(), a.shop)).toMatchObject({
      creditsPending: 0,
      posted: 7 * wins(posted),
    });
  });

  it('readers see consistent totals while money moves', async () => {
    const a = await accounts();
    await book.transfer(suite.em(), { id: id(), debit: a.issuer, credit: a.card, amount: 5000 });
    const writes = together(60, (em, i) =>
      i % 3 === 0
        ? book.hold(em, { id: id(), debit: a.card, credit: a.shop, amount: 11, timeoutSeconds: 60 })
        : book.transfer(em, { id: id(), debit: a.card, credit: a.shop, amount: 13 }),
    );
    const reads = Promise.all(Array.from({ length: 8 }, () => book.checkInvariants(suite.em())));
    const [tally, reports] = await Promise.all([writes, reads]);
    expect(tally.ok).toBe(60);
    for (const report of reports) {
      expect(report.problems).toEqual([]);
      expect(report.totals.debitsPosted).toBe(report.totals.creditsPosted);
    }
  });
});

describe('batches among single transfers', () => {
  it('50 concurrent batches of two debits each: exactly floor(B / their sum) succeed', async () => {
    const a = await accounts();
    const BATCH = 2 * AMOUNT_OF_BATCH;
    await book.transfer(suite.em(), { id: id(), debit: a.issuer, credit: a.card, amount: 1000 });
    const tally = await together(50, (em) =>
      book.transferMany(em, [
        { id: id(), debit: a.card, credit: a.shop, amount: AMOUNT_OF_BATCH },
        { id: id(), debit: a.issuer, credit: a.shop, amount: 1 },
        { id: id(), debit: a.card, credit: a.shop, amount: AMOUNT_OF_BATCH },
      ]),
    );
    expectExactOutcome(tally, 50, 1000, BATCH);
    expect(await book.balance(suite.em(), a.card)).toMatchObject({
      posted: 1000 % BATCH,
      available: 1000 % BATCH,
    });
    expect((await book.balance(suite.em(), a.shop)).posted).toBe(
      Math.floor(1000 / BATCH) * (BATCH + 1),
    );
  });

  it('batches and single transfers crossing the same accounts keep every invariant and never deadlock', async () => {
    const ACCOUNTS = 6;
    const tag = id().slice(0, 8);
    const issuer = (
      await book.openAccount(suite.em(), {
        code: `issuer-mix-${tag}`,
        kind: 'ISSUER',
        allowNegative: true,
      })
    ).id;
    const opened = await book.openAccounts(
      suite.em(),
      Array.from({ length: ACCOUNTS }, (_, i) => ({ code: `mix-${tag}-${i}`, kind: 'HOLDER' })),
    );
    const holders = [...opened.values()].map((h) => h.id);
    const START = 400;
    await book.transferMany(
      suite.em(),
      holders.map((h) => ({ id: id(), debit: issuer, credit: h, amount: START })),
    );
    // A fixed pseudo-random plan: batches of 2..6 moves in every direction, and single moves.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const move = () => {
      const from = next(ACCOUNTS);
      const to = (from + 1 + next(ACCOUNTS - 1)) % ACCOUNTS;
      return { id: id(), debit: holders[from]!, credit: holders[to]!, amount: 10 + next(90) };
    };
    const plan = Array.from({ length: 80 }, (_, i) =>
      i % 2 ? [move()] : Array.from({ length: 2 + next(5) }, move),
    );
    // Each in a transaction of the test's own, which the book does not retry: a deadlock would
    // surface here as an error.
    const results = await Promise.allSettled(
      plan.map((moves) =>
        suite
          .em()
          .transactional(async (tx): Promise<unknown> =>
            moves.length === 1 ? book.transfer(tx, moves[0]!) : book.transferMany(tx, moves),
          ),
      ),
    );
    const expected = new Map(holders.map((h) => [h, START]));
    let succeeded = 0;
    for (const [i, r] of results.entries()) {
      if (r.status === 'rejected') {
        // Only overdrafts may be refused: no deadlock, no constraint violation.
        expect(r.reason).toBeInstanceOf(InsufficientFunds);
        continue;
      }
      succeeded++;
      for (const m of plan[i]!) {
        expected.set(m.debit, expected.get(m.debit)! - m.amount);
        expected.set(m.credit, expected.get(m.credit)! + m.amount);
      }
    }
    expect(succeeded).toBeGreaterThan(10);
    expect(succeeded).toBeLessThan(plan.length);
    for (const h of holders) {
      const balance = await book.balance(suite.em(), h);
      expect(balance.posted).toBe(expected.get(h));
      expect(balance.available).toBeGreaterThanOrEqual(0);
    }
    await expectCleanBook(suite);
  });
});
