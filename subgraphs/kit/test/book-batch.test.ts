import type { EntityManager } from '@mikro-orm/postgresql';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral, type Book, type TransferInput } from '../src/book/book.js';
import {
  AccountConflict,
  AccountNotFound,
  InsufficientFunds,
  InvalidBookInput,
  TransferConflict,
} from '../src/book/errors.js';
import { BOOK_MAX_AMOUNT } from '../src/book/schema.js';
import { expectCleanBook, id, rejection, setupBookSuite, type BookSuite } from './book-helpers.js';

/* Batch operations of the book: openAccounts and transferMany. */

let suite: BookSuite;
let book: Book;

beforeAll(async () => {
  suite = await setupBookSuite('batch', { poolMax: 12 });
  book = suite.book;
});
afterAll(async () => {
  await expectCleanBook(suite);
  await suite.close();
});

/** An issuer and `n` holders, unique to the calling test. */
async function accounts(n: number) {
  const tag = id().slice(0, 8);
  const em = suite.em();
  const issuer = await book.openAccount(em, {
    code: `issuer-${tag}`,
    kind: 'ISSUER',
    allowNegative: true,
  });
  const holders: string[] = [];
  for (let i = 0; i < n; i++)
    holders.push((await book.openAccount(em, { code: `h${i}-${tag}`, kind: 'HOLDER' })).id);
  return { issuer: issuer.id, holders, tag };
}

async function rowCount(): Promise<number> {
  const [row] = await suite.sql<{ n: string }>(
    `select count(*)::text as n from book_test.book_transfer`,
  );
  return Number(row?.n);
}

async function accountCount(): Promise<number> {
  const [row] = await suite.sql<{ n: string }>(
    `select count(*)::text as n from book_test.book_account`,
  );
  return Number(row?.n);
}

/** The totals of the accounts, in order. */
async function totals(ids: string[]) {
  const out = [];
  for (const accountId of ids) {
    const a = await book.balance(suite.em(), accountId);
    out.push([a.debitsPosted, a.creditsPosted, a.debitsPending, a.creditsPending]);
  }
  return out;
}

/** The rows of the accounts' transfers, in insertion order, with accounts named by position. */
async function rows(ids: string[]) {
  const found = await suite.sql<{
    debit_account_id: string;
    credit_account_id: string;
    amount: string;
    status: string;
    code: string | null;
    reference: string | null;
  }>(
    `select debit_account_id, credit_account_id, amount::text as amount, status, code, reference
     from book_test.book_transfer where debit_account_id = any(?::uuid[]) order by seq`,
    [`{${ids.join(',')}}`],
  );
  return found.map((r) => ({
    debit: ids.indexOf(r.debit_account_id),
    credit: ids.indexOf(r.credit_account_id),
    amount: Number(r.amount),
    status: r.status,
    code: r.code,
    reference: r.reference,
  }));
}

/** Polls until a query of the test database waits on a lock (a row or a transaction id). */
async function untilSomeoneWaits(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [row] = await suite.sql<{ n: string }>(
      `select count(*)::text as n from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (Number(row?.n) > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('nobody waited');
}

describe('arrayLiteral', () => {
  it('carries any text, number, boolean and null through one parameter unchanged', async () => {
    // PostgreSQL text cannot hold NUL; everything else must come back as it went.
    const text = fc.string({ unit: 'binary', maxLength: 12 }).filter((v) => !v.includes('\0'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(text, { nil: null }), { maxLength: 8 }),
        fc.array(fc.integer({ min: -BOOK_MAX_AMOUNT, max: BOOK_MAX_AMOUNT }), { maxLength: 5 }),
        fc.array(fc.boolean(), { maxLength: 3 }),
        async (texts, numbers, booleans) => {
          const [row] = await suite.sql<{ t: (string | null)[]; n: string[]; b: boolean[] }>(
            `select ?::text[] as t, ?::bigint[]::text[] as n, ?::boolean[] as b`,
            [arrayLiteral(texts), arrayLiteral(numbers), arrayLiteral(booleans)],
          );
          expect(row!.t).toEqual(texts);
          expect(row!.n.map(Number)).toEqual(numbers);
          expect(row!.b).toEqual(booleans);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('openAccounts', () => {
  it('opens new accounts and returns open ones, by code, in one go', async () => {
    const tag = id().slice(0, 8);
    const em = suite.em();
    const before = await book.openAccount(em, { code: `fund-${tag}`, kind: 'FUND' });
    const chosen = id();
    const opened = await book.openAccounts(em, [
      { code: `fund-${tag}`, kind: 'FUND' },
      { code: ` card-a-${tag} `, kind: 'HOLDER' },
      { id: chosen.toUpperCase(), code: `card-b-${tag}`, kind: 'HOLDER' },
      { code: `issuer-${tag}`, kind: 'ISSUER', allowNegative: true },
      // The same code again is the same account.
      { code: `card-a-${tag}`, kind: 'HOLDER' },
    ]);
    expect([...opened.keys()].sort()).toEqual(
      [`card-a-${tag}`, `card-b-${tag}`, `fund-${tag}`, `issuer-${tag}`].sort(),
    );
    expect(opened.get(`fund-${tag}`)).toEqual(before);
    expect(opened.get(`card-b-${tag}`)!.id).toBe(chosen);
    expect(opened.get(`issuer-${tag}`)).toMatchObject({ kind: 'ISSUER', allowNegative: true });
    expect(opened.get(`card-a-${tag}`)).toMatchObject({ kind: 'HOLDER', posted: 0, available: 0 });
    for (const account of opened.values())
      expect(await book.balance(em, account.id)).toEqual(account);
    // Again: the same accounts, nothing new.
    const count = await accountCount();
    const again = await book.openAccounts(em, [
      { code: `card-a-${tag}`, kind: 'HOLDER' },
      { code: `card-b-${tag}`, kind: 'HOLDER', id: chosen },
    ]);
    expect(again.get(`card-a-${tag}`)).toEqual(opened.get(`card-a-${tag}`));
    expect(again.get(`card-b-${tag}`)).toEqual(opened.get(`card-b-${tag}`));
    expect(await accountCount()).toBe(count);
    expect(await book.openAccounts(em, [])).toEqual(new Map());
  });

  it('refuses a code open with another kind or id, opening nothing of the batch', async () => {
    const tag = id().slice(0, 8);
    const em = suite.em();
    const fund = await book.openAccount(em, { code: `fund-${tag}`, kind: 'FUND' });
    const count = await accountCount();
    const cases = [
      { code: `fund-${tag}`, kind: 'HOLDER' },
      { code: `fund-${tag}`, kind: 'FUND', id: id() },
      // An id taken by another code.
      { code: `other-${tag}`, kind: 'FUND', id: fund.id },
    ];
    for (const odd of cases) {
      const err = await rejection(() =>
        book.openAccounts(em, [{ code: `new-${tag}`, kind: 'HOLDER' }, odd]),
      );
      expect(err).toBeInstanceOf(AccountConflict);
      expect((err as AccountConflict).accountCode).toBe(odd.code);
    }
    // Two entries of the batch that disagree.
    expect(
      await rejection(() =>
        book.openAccounts(em, [
          { code: `twin-${tag}`, kind: 'HOLDER' },
          { code: `twin-${tag}`, kind: 'MERCHANT' },
        ]),
      ),
    ).toBeInstanceOf(AccountConflict);
    expect(await accountCount()).toBe(count);
  });

  it("in the caller's transaction: a refusal opens nothing and leaves the transaction usable", async () => {
    const tag = id().slice(0, 8);
    await book.openAccount(suite.em(), { code: `fund-${tag}`, kind: 'FUND' });
    const count = await accountCount();
    await suite.em().transactional(async (tx) => {
      const err = await rejection(() =>
        book.openAccounts(tx, [
          { code: `new-${tag}`, kind: 'HOLDER' },
          { code: `fund-${tag}`, kind: 'HOLDER' },
        ]),
      );
      expect(err).toBeInstanceOf(AccountConflict);
      const opened = await book.openAccounts(tx, [{ code: `kept-${tag}`, kind: 'HOLDER' }]);
      expect(opened.get(`kept-${tag}`)).toMatchObject({ kind: 'HOLDER' });
    });
    const codes = await suite.sql<{ code: string }>(
      `select code from book_test.book_account where code like ? order by code`,
      [`%-${tag}`],
    );
    expect(codes.map((c) => c.code)).toEqual([`fund-${tag}`, `kept-${tag}`]);
    expect(await accountCount()).toBe(count + 1);
  });

  it('checks every entry, naming its index', async () => {
    const err = await rejection(() =>
      book.openAccounts(suite.em(), [
        { code: `ok-${id()}`, kind: 'HOLDER' },
        { id: 'nope', code: ' ', kind: '' },
        { code: `x-${id()}`, kind: 'HOLDER', allowNegative: true },
      ]),
    );
    expect(err).toBeInstanceOf(InvalidBookInput);
    expect((err as InvalidBookInput).fields.map((f) => f.field)).toEqual([
      'accounts.1.id',
      'accounts.1.code',
      'accounts.1.kind',
      'accounts.2.allowNegative',
    ]);
    for (const f of (err as InvalidBookInput).fields) {
      expect(f.message.it.length).toBeGreaterThan(0);
      expect(f.message.en.length).toBeGreaterThan(0);
    }
  });
});

describe('transferMany', () => {
  it('equals the same transfers applied one by one: balances and rows', async () => {
    const one = await accounts(4);
    const many = await accounts(4);
    const ids = (a: typeof one) => [a.issuer, ...a.holders];
    // Issuer funds the holders, then holders pay each other (their debits covered beforehand: what
    // an account receives in a batch does not fund its debits in that batch).
    const plans: [number, number, number, string | null, string | null][][] = [
      [
        [0, 1, 500, 'FUND', null],
        [0, 2, 300, 'FUND', 'first'],
        [0, 3, 1, null, null],
      ],
      [
        [1, 2, 120, 'PAY', 'x"y\\z,{}\'NULL'],
        [2, 4, 50, 'PAY', 'ref:2'],
        [1, 4, 380, null, 'all the rest'],
        [0, 4, BOOK_MAX_AMOUNT, 'BIG', null],
        [2, 3, 250, 'PAY', null],
        [3, 1, 1, null, 'NULL'],
      ],
    ];
    for (const plan of plans) {
      const inputs = (a: typeof one): TransferInput[] =>
        plan.map(([from, to, amount, code, reference]) => ({
          id: id(),
          debit: ids(a)[from]!,
          credit: ids(a)[to]!,
          amount,
          code,
          reference,
        }));
      const singles = inputs(one);
      for (const input of singles) await book.transfer(suite.em(), input);
      const batch = inputs(many);
      const result = await book.transferMany(suite.em(), batch);
      expect(result.map((t) => t.id)).toEqual(batch.map((b) => b.id));
      result.forEach((t, i) =>
        expect(t).toMatchObject({
          debitAccountId: batch[i]!.debit,
          creditAccountId: batch[i]!.credit,
          amount: batch[i]!.amount,
          status: 'POSTED',
          pendingId: null,
          expiresAt: null,
          code: batch[i]!.code,
          reference: batch[i]!.reference,
        }),
      );
      // Inserted in the order given.
      expect(result.map((t) => t.seq)).toEqual([...result.map((t) => t.seq)].sort((x, y) => x - y));
      expect(await totals(ids(many))).toEqual(await totals(ids(one)));
      expect(await rows(ids(many))).toEqual(await rows(ids(one)));
      // Each one is the transfer a single call with its id returns.
      for (const [i, t] of result.entries())
        expect(await book.transfer(suite.em(), batch[i]!)).toEqual(t);
    }
  });

  it('a replayed batch returns the first result and writes nothing; a partly new one adds the rest', async () => {
    const a = await accounts(2);
    const batch = [
      { id: id(), debit: a.issuer, credit: a.holders[0]!, amount: 100 },
      { id: id(), debit: a.issuer, credit: a.holders[1]!, amount: 200, code: 'C' },
    ];
    const first = await book.transferMany(suite.em(), batch);
    const count = await rowCount();
    const balances = await totals([a.issuer, ...a.holders]);
    expect(await book.transferMany(suite.em(), batch)).toEqual(first);
    expect(await book.transferMany(suite.em(), [batch[1]!, batch[0]!])).toEqual([
      first[1],
      first[0],
    ]);
    expect(await rowCount()).toBe(count);
    expect(await totals([a.issuer, ...a.holders])).toEqual(balances);
    const extra = { id: id(), debit: a.holders[1]!, credit: a.holders[0]!, amount: 150 };
    const more = await book.transferMany(suite.em(), [...batch, extra]);
    expect(more.slice(0, 2)).toEqual(first);
    expect(more[2]).toMatchObject({ id: extra.id, amount: 150 });
    expect(await rowCount()).toBe(count + 1);
    expect((await book.balance(suite.em(), a.holders[0]!)).posted).toBe(250);
  });

  it('one conflicting id refuses the whole batch, writing nothing', async () => {
    const a = await accounts(2);
    const single = await book.transfer(suite.em(), {
      id: id(),
      debit: a.issuer,
      credit: a.holders[0]!,
      amount: 100,
    });
    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: a.holders[0]!,
      credit: a.holders[1]!,
      amount: 10,
      timeoutSeconds: 600,
    });
    const count = await rowCount();
    const balances = await totals([a.issuer, ...a.holders]);
    const fresh = () => ({ id: id(), debit: a.issuer, credit: a.holders[1]!, amount: 5 });
    const changed = [
      { id: single.id, debit: a.issuer, credit: a.holders[0]!, amount: 101 },
      { id: single.id, debit: a.issuer, credit: a.holders[1]!, amount: 100 },
      { id: single.id, debit: a.issuer, credit: a.holders[0]!, amount: 100, code: 'OTHER' },
      { id: single.id, debit: a.issuer, credit: a.holders[0]!, amount: 100, reference: 'r' },
      // The id of a hold, even with its fields, is not a single-phase transfer.
      { id: hold.id, debit: a.holders[0]!, credit: a.holders[1]!, amount: 10 },
    ];
    for (const odd of changed) {
      const err = await rejection(() => book.transferMany(suite.em(), [fresh(), odd, fresh()]));
      expect(err).toBeInstanceOf(TransferConflict);
      expect((err as TransferConflict).transferId).toBe(odd.id);
    }
    expect(await rowCount()).toBe(count);
    expect(await totals([a.issuer, ...a.holders])).toEqual(balances);
  });

  it('checks each debit account against the sum of its new debits, writing nothing', async () => {
    const a = await accounts(3);
    const [x, y, z] = a.holders as [string, string, string];
    await book.transferMany(suite.em(), [
      { id: id(), debit: a.issuer, credit: x, amount: 100 },
      { id: id(), debit: a.issuer, credit: y, amount: 50 },
    ]);
    const count = await rowCount();
    // Each debit of x fits alone; together they do not.
    const err = await rejection(() =>
      book.transferMany(suite.em(), [
        { id: id(), debit: x, credit: z, amount: 60 },
        { id: id(), debit: y, credit: z, amount: 50 },
        { id: id(), debit: x, credit: y, amount: 41 },
      ]),
    );
    expect(err).toBeInstanceOf(InsufficientFunds);
    expect(err).toMatchObject({ accountId: x, available: 100, amount: 101 });
    // What an account receives in the same batch does not fund its debits there.
    expect(
      await rejection(() =>
        book.transferMany(suite.em(), [
          { id: id(), debit: y, credit: z, amount: 50 },
          { id: id(), debit: x, credit: y, amount: 10 },
          { id: id(), debit: y, credit: z, amount: 10 },
        ]),
      ),
    ).toBeInstanceOf(InsufficientFunds);
    // A hold counts: x has 70 available of 100 posted.
    await book.hold(suite.em(), {
      id: id(),
      debit: x,
      credit: z,
      amount: 30,
      timeoutSeconds: 600,
    });
    const held = await rowCount();
    expect(held).toBe(count + 1);
    expect(
      await rejection(() =>
        book.transferMany(suite.em(), [{ id: id(), debit: x, credit: z, amount: 71 }]),
      ),
    ).toMatchObject({ accountId: x, available: 70, amount: 71 });
    expect(await rowCount()).toBe(held);
    expect(await totals(a.holders)).toEqual([
      [0, 100, 30, 0],
      [0, 50, 0, 0],
      [0, 0, 0, 30],
    ]);
    // Exactly the available balance is fine; the issuer may go below zero.
    await book.transferMany(suite.em(), [
      { id: id(), debit: x, credit: z, amount: 40 },
      { id: id(), debit: x, credit: y, amount: 30 },
      { id: id(), debit: a.issuer, credit: z, amount: BOOK_MAX_AMOUNT },
      { id: id(), debit: a.issuer, credit: z, amount: BOOK_MAX_AMOUNT },
    ]);
    expect((await book.balance(suite.em(), x)).available).toBe(0);
    expect((await book.balance(suite.em(), a.issuer)).posted).toBe(-150 - 2 * BOOK_MAX_AMOUNT);
  });

  it('checks every transfer, naming its index, and refuses an id twice in the batch', async () => {
    const a = await accounts(2);
    const [x, y] = a.holders as [string, string];
    const count = await rowCount();
    const same = id();
    const err = await rejection(() =>
      book.transferMany(suite.em(), [
        { id: id(), debit: a.issuer, credit: x, amount: 10 },
        { id: 'nope', debit: x, credit: x, amount: 2.5 },
        { id: same, debit: a.issuer, credit: y, amount: 0, code: '', reference: 'r'.repeat(501) },
        { id: same.toUpperCase(), debit: 'x', credit: y, amount: BOOK_MAX_AMOUNT + 1 },
        { id: id(), debit: a.issuer, credit: y, amount: '5' as unknown as number },
      ]),
    );
    expect(err).toBeInstanceOf(InvalidBookInput);
    expect((err as InvalidBookInput).fields.map((f) => f.field)).toEqual([
      'transfers.1.id',
      'transfers.1.credit',
      'transfers.1.amount',
      'transfers.2.code',
      'transfers.2.reference',
      'transfers.2.amount',
      'transfers.3.debit',
      'transfers.3.amount',
      'transfers.3.id',
      'transfers.4.amount',
    ]);
    for (const f of (err as InvalidBookInput).fields) {
      expect(f.message.it.length).toBeGreaterThan(0);
      expect(f.message.en.length).toBeGreaterThan(0);
    }
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect(await book.transferMany(suite.em(), [])).toEqual([]);
    expect(await rowCount()).toBe(count);
  });

  it('refuses an unknown account, writing nothing', async () => {
    const a = await accounts(1);
    const count = await rowCount();
    const ghost = id();
    for (const odd of [
      { id: id(), debit: ghost, credit: a.holders[0]!, amount: 1 },
      { id: id(), debit: a.issuer, credit: ghost, amount: 1 },
    ]) {
      const err = await rejection(() =>
        book.transferMany(suite.em(), [
          { id: id(), debit: a.issuer, credit: a.holders[0]!, amount: 1 },
          odd,
        ]),
      );
      expect(err).toBeInstanceOf(AccountNotFound);
      expect((err as AccountNotFound).accountId).toBe(ghost);
    }
    expect(await rowCount()).toBe(count);
  });

  it("joins the caller's transaction: a rollback undoes it, a refusal leaves it usable", async () => {
    const a = await accounts(2);
    const [x, y] = a.holders as [string, string];
    const count = await rowCount();
    await rejection(() =>
      suite.em().transactional(async (tx) => {
        await book.transferMany(tx, [{ id: id(), debit: a.issuer, credit: x, amount: 10 }]);
        throw new Error('changed my mind');
      }),
    );
    expect(await rowCount()).toBe(count);
    await suite.em().transactional(async (tx) => {
      await book.transferMany(tx, [{ id: id(), debit: a.issuer, credit: x, amount: 10 }]);
      const err = await rejection(() =>
        book.transferMany(tx, [
          { id: id(), debit: a.issuer, credit: y, amount: 5 },
          { id: id(), debit: x, credit: y, amount: 11 },
        ]),
      );
      expect(err).toBeInstanceOf(InsufficientFunds);
      await book.transferMany(tx, [{ id: id(), debit: x, credit: y, amount: 10 }]);
    });
    expect(await rowCount()).toBe(count + 2);
    expect(await totals([x, y])).toEqual([
      [10, 10, 0, 0],
      [0, 10, 0, 0],
    ]);
  });

  it('an id committed meanwhile by another request with other fields: refused, nothing written, the transaction still usable', async () => {
    const a = await accounts(4);
    const [p, q, r, s] = a.holders as [string, string, string, string];
    const issuer2 = await book.openAccount(suite.em(), {
      code: `issuer2-${a.tag}`,
      kind: 'ISSUER',
      allowNegative: true,
    });
    const contested = id();
    const before = await rowCount();
    // Another request holds the id, not yet committed, on other accounts than the batch's.
    let ready!: () => void;
    let release!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const racing = suite.em().transactional(async (tx: EntityManager) => {
      await book.transfer(tx, { id: contested, debit: issuer2.id, credit: p, amount: 7 });
      ready();
      await released;
    });
    await isReady;
    const batch = suite.em().transactional(async (tx) => {
      // The batch reads the ids before the other commits, then its insert waits on that id.
      const err = await rejection(() =>
        book.transferMany(tx, [
          { id: id(), debit: a.issuer, credit: r, amount: 3 },
          { id: contested, debit: a.issuer, credit: q, amount: 7 },
          { id: id(), debit: a.issuer, credit: s, amount: 4 },
        ]),
      );
      await book.transfer(tx, { id: id(), debit: a.issuer, credit: s, amount: 1 });
      return err;
    });
    await untilSomeoneWaits();
    release();
    await racing;
    const err = await batch;
    expect(err).toBeInstanceOf(TransferConflict);
    expect((err as TransferConflict).transferId).toBe(contested);
    expect(await rowCount()).toBe(before + 2);
    expect(await totals([p, q, r, s])).toEqual([
      [0, 7, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
  });

  it('moves a big batch in one go', async () => {
    const a = await accounts(0);
    const opened = await book.openAccounts(
      suite.em(),
      Array.from({ length: 2000 }, (_, i) => ({ code: `big-${a.tag}-${i}`, kind: 'HOLDER' })),
    );
    const holders = [...opened.values()].map((h) => h.id);
    const fund = await book.openAccount(suite.em(), { code: `fund-${a.tag}`, kind: 'FUND' });
    await book.transfer(suite.em(), {
      id: id(),
      debit: a.issuer,
      credit: fund.id,
      amount: 2000 * 2001,
    });
    const moved = await book.transferMany(
      suite.em(),
      holders.map((h, i) => ({
        id: id(),
        debit: fund.id,
        credit: h,
        amount: i + 1,
        code: 'TOPUP',
        reference: `application:${i}`,
      })),
    );
    expect(moved).toHaveLength(2000);
    expect(await book.balance(suite.em(), fund.id)).toMatchObject({
      posted: 2000 * 2001 - (2000 * 2001) / 2,
      debitsPosted: (2000 * 2001) / 2,
    });
    expect((await book.balance(suite.em(), holders[1999]!)).posted).toBe(2000);
  });
});
