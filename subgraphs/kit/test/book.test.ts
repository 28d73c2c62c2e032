import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Book } from '../src/book/book.js';
import {
  AccountConflict,
  AccountNotFound,
  HoldExpired,
  HoldNotPending,
  InsufficientFunds,
  InvalidAmount,
  InvalidBookInput,
  TransferConflict,
  TransferNotFound,
} from '../src/book/errors.js';
import { BOOK_MAX_AMOUNT, bookMigrationSql } from '../src/book/schema.js';
import { DomainError, formatError } from '../src/errors.js';
import * as bookEntry from '../src/book/index.js';
import { expectCleanBook, id, rejection, setupBookSuite, type BookSuite } from './book-helpers.js';

let suite: BookSuite;
let clock: Date;
let book: Book;

beforeAll(async () => {
  suite = await setupBookSuite('unit');
  clock = new Date('2026-03-01T10:00:00.000Z');
  book = new Book(suite.schema, { now: () => clock });
});
afterAll(async () => {
  await expectCleanBook(suite, book);
  await suite.close();
});

/** A fresh issuer and two holders, unique to the calling test. */
async function accounts() {
  const tag = id().slice(0, 8);
  const em = suite.em();
  const issuer = await book.openAccount(em, {
    code: `issuer-${tag}`,
    kind: 'ISSUER',
    allowNegative: true,
  });
  const alice = await book.openAccount(em, { code: `alice-${tag}`, kind: 'HOLDER' });
  const shop = await book.openAccount(em, { code: `shop-${tag}`, kind: 'MERCHANT' });
  return { issuer: issuer.id, alice: alice.id, shop: shop.id, tag };
}

async function fund(issuer: string, holder: string, amount: number): Promise<void> {
  await book.transfer(suite.em(), { id: id(), debit: issuer, credit: holder, amount });
}

async function available(accountId: string): Promise<number> {
  return (await book.balance(suite.em(), accountId)).available;
}

async function transferCount(accountId: string): Promise<number> {
  const rows = await suite.sql<{ n: string }>(
    `select count(*) as n from book_test.book_transfer where debit_account_id = ? or credit_account_id = ?`,
    [accountId, accountId],
  );
  return Number(rows[0]?.n);
}

describe('bookMigrationSql', () => {
  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => bookMigrationSql('x"; drop table y; --')).toThrow(/Bad schema name/);
    expect(() => bookMigrationSql('Upper')).toThrow(/Bad schema name/);
  });

  it('has no placeholder that MikroORM would try to fill, and names only its schema', () => {
    const statements = bookMigrationSql('some_fund');
    expect(statements.join('\n')).not.toContain('?');
    for (const statement of statements.filter((s) => /^create (table|function)/.test(s)))
      expect(statement).toMatch(/"some_fund"\.book_/);
  });

  it('ran through the MikroORM migrator: the three tables live in the suite schema', async () => {
    const rows = await suite.sql<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'book_test' order by 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual([
      'book_account',
      'book_pending_credit',
      'book_transfer',
      'mikro_orm_migrations',
    ]);
  });
});

describe('openAccount and balance', () => {
  it('opens an account with zero totals, and returns it again for the same code and kind', async () => {
    const em = suite.em();
    const code = `fund-${id()}`;
    const opened = await book.openAccount(em, { code, kind: 'FUND' });
    expect(opened).toMatchObject({
      code,
      kind: 'FUND',
      allowNegative: false,
      debitsPosted: 0,
      creditsPosted: 0,
      debitsPending: 0,
      creditsPending: 0,
      posted: 0,
      available: 0,
    });
    expect(opened.createdAt).toBeInstanceOf(Date);
    expect(await book.openAccount(em, { code, kind: 'FUND' })).toEqual(opened);
    expect(await book.balance(em, opened.id)).toEqual(opened);
  });

  it('keeps a caller-chosen id, and refuses the same code with another kind or id', async () => {
    const em = suite.em();
    const chosen = id();
    const code = `fund-${chosen}`;
    const opened = await book.openAccount(em, { id: chosen.toUpperCase(), code, kind: 'FUND' });
    expect(opened.id).toBe(chosen);
    expect(await rejection(() => book.openAccount(em, { code, kind: 'HOLDER' }))).toBeInstanceOf(
      AccountConflict,
    );
    expect(
      await rejection(() => book.openAccount(em, { id: id(), code, kind: 'FUND' })),
    ).toBeInstanceOf(AccountConflict);
    expect(
      await rejection(() =>
        book.openAccount(em, { id: chosen, code: `${code}-other`, kind: 'FUND' }),
      ),
    ).toBeInstanceOf(AccountConflict);
  });

  it('lets only the issuer go below zero, and checks every field', async () => {
    const em = suite.em();
    const err = await rejection(() =>
      book.openAccount(em, { code: `x-${id()}`, kind: 'HOLDER', allowNegative: true }),
    );
    expect(err).toBeInstanceOf(InvalidBookInput);
    expect((err as InvalidBookInput).fields.map((f) => f.field)).toEqual(['allowNegative']);
    const bad = await rejection(() => book.openAccount(em, { id: 'nope', code: ' ', kind: '' }));
    expect((bad as InvalidBookInput).fields.map((f) => f.field)).toEqual(['id', 'code', 'kind']);
  });

  it('reports an unknown or malformed account', async () => {
    expect(await rejection(() => book.balance(suite.em(), id()))).toBeInstanceOf(AccountNotFound);
    expect(await rejection(() => book.balance(suite.em(), 'x'))).toBeInstanceOf(InvalidBookInput);
  });
});

describe('transfer', () => {
  it('moves money from the issuer, which goes below zero, to a holder', async () => {
    const a = await accounts();
    const t = await book.transfer(suite.em(), {
      id: id(),
      debit: a.issuer,
      credit: a.alice,
      amount: 1500,
      code: 'TOPUP',
      reference: 'tranche 1',
    });
    expect(t).toMatchObject({
      debitAccountId: a.issuer,
      creditAccountId: a.alice,
      amount: 1500,
      status: 'POSTED',
      pendingId: null,
      expiresAt: null,
      code: 'TOPUP',
      reference: 'tranche 1',
    });
    expect(await book.balance(suite.em(), a.issuer)).toMatchObject({
      debitsPosted: 1500,
      creditsPosted: 0,
      posted: -1500,
      available: -1500,
    });
    expect(await book.balance(suite.em(), a.alice)).toMatchObject({
      creditsPosted: 1500,
      posted: 1500,
      available: 1500,
    });
  });

  it('applies an id once: a replay with the same fields returns the first result', async () => {
    const a = await accounts();
    const input = { id: id(), debit: a.issuer, credit: a.alice, amount: 700, code: 'TOPUP' };
    const first = await book.transfer(suite.em(), input);
    const again = await book.transfer(suite.em(), { ...input, id: input.id.toUpperCase() });
    expect(again).toEqual(first);
    expect(await available(a.alice)).toBe(700);
    expect(await transferCount(a.alice)).toBe(1);
  });

  it('refuses a replay with a changed amount, code, reference or account, writing nothing', async () => {
    const a = await accounts();
    const input = { id: id(), debit: a.issuer, credit: a.alice, amount: 700, reference: 'r1' };
    const first = await book.transfer(suite.em(), input);
    const changes = [
      { amount: 701 },
      { code: 'OTHER' },
      { reference: 'r2' },
      { reference: null },
      { credit: a.shop },
      { debit: a.shop, credit: a.alice },
    ];
    for (const change of changes) {
      const err = await rejection(() => book.transfer(suite.em(), { ...input, ...change }));
      expect(err, JSON.stringify(change)).toBeInstanceOf(TransferConflict);
      expect((err as TransferConflict).code).toBe('CONFLICT');
    }
    // A hold with the same id is another request too.
    expect(
      await rejection(() => book.hold(suite.em(), { ...input, timeoutSeconds: 60 })),
    ).toBeInstanceOf(TransferConflict);
    expect(await available(a.alice)).toBe(700);
    expect(await available(a.shop)).toBe(0);
    expect(await transferCount(a.alice)).toBe(1);
    expect(await transferCount(a.shop)).toBe(0);
    const [stored] = await suite.sql<{ amount: string }>(
      `select amount::text as amount from book_test.book_transfer where id = ?`,
      [first.id],
    );
    expect(stored?.amount).toBe('700');
  });

  it('refuses an overdraft with InsufficientFunds and writes nothing; the id stays free', async () => {
    const a = await accounts();
    await fund(a.issuer, a.alice, 1000);
    const input = { id: id(), debit: a.alice, credit: a.shop, amount: 1001 };
    const err = await rejection(() => book.transfer(suite.em(), input));
    expect(err).toBeInstanceOf(InsufficientFunds);
    expect(err).toMatchObject({
      accountId: a.alice,
      available: 1000,
      amount: 1001,
      code: 'CONFLICT',
    });
    expect(await available(a.alice)).toBe(1000);
    expect(await available(a.shop)).toBe(0);
    expect(await transferCount(a.shop)).toBe(0);
    // Nothing was written under that id: once funded, the same request goes through.
    await fund(a.issuer, a.alice, 1);
    await book.transfer(suite.em(), input);
    expect(await available(a.alice)).toBe(0);
    expect(await available(a.shop)).toBe(1001);
  });

  it('lets a holder spend exactly its balance, and not a cent more', async () => {
    const a = await accounts();
    await fund(a.issuer, a.alice, 250);
    await book.transfer(suite.em(), { id: id(), debit: a.alice, credit: a.shop, amount: 250 });
    expect(
      await rejection(() =>
        book.transfer(suite.em(), { id: id(), debit: a.alice, credit: a.shop, amount: 1 }),
      ),
    ).toBeInstanceOf(InsufficientFunds);
  });

  it('accepts only whole cents from 1 to the maximum', async () => {
    const a = await accounts();
    const bad: unknown[] = [0, -1, 1.5, 0.1, NaN, Infinity, BOOK_MAX_AMOUNT + 1, '100', null, 10n];
    for (const amount of bad) {
      const err = await rejection(() =>
        book.transfer(suite.em(), {
          id: id(),
          debit: a.issuer,
          credit: a.alice,
          amount: amount as number,
        }),
      );
      expect(err, String(amount)).toBeInstanceOf(InvalidAmount);
      expect((err as InvalidAmount).code).toBe('BAD_USER_INPUT');
      expect((err as InvalidAmount).fields[0]?.field).toBe('amount');
    }
    expect(await transferCount(a.alice)).toBe(0);
    await book.transfer(suite.em(), {
      id: id(),
      debit: a.issuer,
      credit: a.alice,
      amount: BOOK_MAX_AMOUNT,
    });
    expect(await available(a.alice)).toBe(BOOK_MAX_AMOUNT);
  });

  it('refuses malformed requests and unknown accounts', async () => {
    const a = await accounts();
    const same = await rejection(() =>
      book.transfer(suite.em(), { id: id(), debit: a.alice, credit: a.alice, amount: 1 }),
    );
    expect(same).toBeInstanceOf(InvalidBookInput);
    expect((same as InvalidBookInput).fields.map((f) => f.field)).toEqual(['credit']);
    const malformed = await rejection(() =>
      book.transfer(suite.em(), {
        id: 'not-a-uuid',
        debit: a.issuer,
        credit: a.alice,
        amount: 1,
        code: '',
        reference: 'x'.repeat(501),
      }),
    );
    expect((malformed as InvalidBookInput).fields.map((f) => f.field)).toEqual([
      'id',
      'code',
      'reference',
    ]);
    const unknown = id();
    expect(
      await rejection(() =>
        book.transfer(suite.em(), { id: id(), debit: unknown, credit: a.alice, amount: 1 }),
      ),
    ).toMatchObject({ accountId: unknown, reason: 'ACCOUNT_NOT_FOUND' });
    expect(
      await rejection(() =>
        book.transfer(suite.em(), { id: id(), debit: a.issuer, credit: unknown, amount: 1 }),
      ),
    ).toBeInstanceOf(AccountNotFound);
    expect(await transferCount(a.alice)).toBe(0);
  });

  it("joins the caller's transaction: a rollback undoes it, a refusal leaves it usable", async () => {
    const a = await accounts();
    await fund(a.issuer, a.alice, 100);
    await rejection(() =>
      suite.em().transactional(async (tx) => {
        await book.transfer(tx, { id: id(), debit: a.alice, credit: a.shop, amount: 60 });
        expect((await book.balance(tx, a.alice)).available).toBe(40);
        throw new Error('the caller gives up');
      }),
    );
    expect(await available(a.alice)).toBe(100);

    await suite.em().transactional(async (tx) => {
      const err = await rejection(() =>
        book.transfer(tx, { id: id(), debit: a.alice, credit: a.shop, amount: 101 }),
      );
      expect(err).toBeInstanceOf(InsufficientFunds);
      await book.transfer(tx, { id: id(), debit: a.alice, credit: a.shop, amount: 100 });
    });
    expect(await available(a.alice)).toBe(0);
    expect(await available(a.shop)).toBe(100);
  });
});

describe('hold, post, void, expire', () => {
  beforeEach(() => {
    clock = new Date('2026-03-01T10:00:00.000Z');
  });

  async function held(amount = 400, balance = 1000) {
    const a = await accounts();
    await fund(a.issuer, a.alice, balance);
    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: a.alice,
      credit: a.shop,
      amount,
      timeoutSeconds: 60,
      code: 'PAYMENT',
      reference: 'receipt 7',
    });
    return { ...a, hold };
  }

  it('reserves the amount: available drops, posted balances stay', async () => {
    const { alice, shop, hold } = await held(400, 1000);
    expect(hold).toMatchObject({ status: 'PENDING', amount: 400, pendingId: null });
    expect(hold.expiresAt).toEqual(new Date('2026-03-01T10:01:00.000Z'));
    expect(await book.balance(suite.em(), alice)).toMatchObject({
      posted: 1000,
      debitsPending: 400,
      available: 600,
    });
    expect(await book.balance(suite.em(), shop)).toMatchObject({
      posted: 0,
      creditsPending: 400,
      available: 0,
    });
    // The reserved money cannot be spent twice.
    expect(
      await rejection(() =>
        book.transfer(suite.em(), { id: id(), debit: alice, credit: shop, amount: 601 }),
      ),
    ).toBeInstanceOf(InsufficientFunds);
    expect(
      await rejection(() =>
        book.hold(suite.em(), {
          id: id(),
          debit: alice,
          credit: shop,
          amount: 601,
          timeoutSeconds: 5,
        }),
      ),
    ).toBeInstanceOf(InsufficientFunds);
  });

  it('posts the whole hold', async () => {
    const { alice, shop, hold } = await held(400, 1000);
    const post = await book.post(suite.em(), { id: id(), pendingId: hold.id });
    expect(post).toMatchObject({
      pendingId: hold.id,
      status: 'POSTED',
      amount: 400,
      code: 'PAYMENT',
      reference: 'receipt 7',
      expiresAt: null,
    });
    expect(await book.balance(suite.em(), alice)).toMatchObject({
      posted: 600,
      debitsPending: 0,
      available: 600,
    });
    expect(await book.balance(suite.em(), shop)).toMatchObject({ posted: 400, creditsPending: 0 });
    const [row] = await suite.sql<{ status: string }>(
      `select status from book_test.book_transfer where id = ?`,
      [hold.id],
    );
    expect(row?.status).toBe('POSTED');
  });

  it('posts part of a hold and releases the rest', async () => {
    const { alice, shop, hold } = await held(400, 1000);
    await book.post(suite.em(), { id: id(), pendingId: hold.id, amount: 150, code: 'PARTIAL' });
    expect(await book.balance(suite.em(), alice)).toMatchObject({ posted: 850, available: 850 });
    expect(await book.balance(suite.em(), shop)).toMatchObject({ posted: 150, creditsPending: 0 });
  });

  it('refuses to post more than held, writing nothing', async () => {
    const { alice, hold } = await held(400, 1000);
    const err = await rejection(() =>
      book.post(suite.em(), { id: id(), pendingId: hold.id, amount: 401 }),
    );
    expect(err).toBeInstanceOf(InvalidAmount);
    expect(
      await rejection(() => book.post(suite.em(), { id: id(), pendingId: hold.id, amount: 0 })),
    ).toBeInstanceOf(InvalidAmount);
    expect(await book.balance(suite.em(), alice)).toMatchObject({ debitsPending: 400 });
    expect(await transferCount(alice)).toBe(2);
  });

  it('voids a hold: the whole amount returns', async () => {
    const { alice, shop, hold } = await held(400, 1000);
    const voided = await book.void(suite.em(), { id: id(), pendingId: hold.id });
    expect(voided).toMatchObject({ pendingId: hold.id, status: 'VOIDED', amount: 400 });
    expect(await book.balance(suite.em(), alice)).toMatchObject({
      posted: 1000,
      debitsPending: 0,
      available: 1000,
    });
    expect(await book.balance(suite.em(), shop)).toMatchObject({ posted: 0, creditsPending: 0 });
  });

  it('resolves a hold once: post after void, void after post, a second post are refused', async () => {
    const first = await held();
    await book.void(suite.em(), { id: id(), pendingId: first.hold.id });
    expect(
      await rejection(() => book.post(suite.em(), { id: id(), pendingId: first.hold.id })),
    ).toMatchObject({ reason: 'HOLD_NOT_PENDING', status: 'VOIDED' });

    const second = await held();
    await book.post(suite.em(), { id: id(), pendingId: second.hold.id, amount: 10 });
    expect(
      await rejection(() => book.void(suite.em(), { id: id(), pendingId: second.hold.id })),
    ).toBeInstanceOf(HoldNotPending);
    expect(
      await rejection(() => book.post(suite.em(), { id: id(), pendingId: second.hold.id })),
    ).toBeInstanceOf(HoldNotPending);
    expect(await book.balance(suite.em(), second.alice)).toMatchObject({
      posted: 990,
      available: 990,
    });
  });

  it('replays a post or void by its id, and refuses a changed replay', async () => {
    const { alice, hold } = await held(400, 1000);
    const input = { id: id(), pendingId: hold.id, amount: 300 };
    const post = await book.post(suite.em(), input);
    expect(await book.post(suite.em(), input)).toEqual(post);
    expect(await rejection(() => book.post(suite.em(), { ...input, amount: 299 }))).toBeInstanceOf(
      TransferConflict,
    );
    expect(
      await rejection(() => book.post(suite.em(), { id: input.id, pendingId: hold.id })),
    ).toBeInstanceOf(TransferConflict);
    expect(
      await rejection(() => book.void(suite.em(), { id: input.id, pendingId: hold.id })),
    ).toBeInstanceOf(TransferConflict);
    expect(await available(alice)).toBe(700);

    const other = await held(100, 100);
    const voidInput = { id: id(), pendingId: other.hold.id };
    const voided = await book.void(suite.em(), voidInput);
    expect(await book.void(suite.em(), voidInput)).toEqual(voided);
    expect(await rejection(() => book.post(suite.em(), voidInput))).toBeInstanceOf(
      TransferConflict,
    );
    expect(await available(other.alice)).toBe(100);
  });

  it('replays a hold by its id, and refuses a changed one', async () => {
    const { alice, shop, hold } = await held(400, 1000);
    const input = {
      id: hold.id,
      debit: alice,
      credit: shop,
      amount: 400,
      code: 'PAYMENT',
      reference: 'receipt 7',
      timeoutSeconds: 60,
    };
    clock = new Date(clock.getTime() + 5000);
    expect(await book.hold(suite.em(), input)).toEqual(hold);
    expect(await rejection(() => book.hold(suite.em(), { ...input, amount: 401 }))).toBeInstanceOf(
      TransferConflict,
    );
    expect(await rejection(() => book.transfer(suite.em(), input))).toBeInstanceOf(
      TransferConflict,
    );
    expect(await book.balance(suite.em(), alice)).toMatchObject({ debitsPending: 400 });
  });

  it('refuses to resolve what is not a pending hold', async () => {
    const a = await accounts();
    expect(
      await rejection(() => book.post(suite.em(), { id: id(), pendingId: id() })),
    ).toBeInstanceOf(TransferNotFound);
    await fund(a.issuer, a.alice, 10);
    const [single] = (await book.transfers(suite.em(), a.alice)).items;
    expect(
      await rejection(() => book.void(suite.em(), { id: id(), pendingId: single!.id })),
    ).toBeInstanceOf(TransferNotFound);
    expect(
      await rejection(() => book.post(suite.em(), { id: 'x', pendingId: 'y', amount: 1 })),
    ).toBeInstanceOf(InvalidBookInput);
  });

  it('checks the timeout of a hold', async () => {
    const a = await accounts();
    for (const timeoutSeconds of [0, -1, 1.5, 31 * 24 * 3600]) {
      const err = await rejection(() =>
        book.hold(suite.em(), {
          id: id(),
          debit: a.issuer,
          credit: a.alice,
          amount: 1,
          timeoutSeconds,
        }),
      );
      expect((err as InvalidBookInput).fields.map((f) => f.field)).toEqual(['timeoutSeconds']);
    }
  });

  it('refuses to post a hold past its expiry, but lets it be voided', async () => {
    const first = await held();
    clock = new Date(clock.getTime() + 60_000);
    expect(
      await rejection(() => book.post(suite.em(), { id: id(), pendingId: first.hold.id })),
    ).toBeInstanceOf(HoldExpired);
    await book.void(suite.em(), { id: id(), pendingId: first.hold.id });
    expect(await available(first.alice)).toBe(1000);
  });

  it('expires the holds past their expiry, once, and releases their amounts', async () => {
    // Holds of earlier tests expire too; count only what changes from here.
    await book.expire(suite.em(), new Date('2100-01-01T00:00:00.000Z'));
    const a = await accounts();
    await fund(a.issuer, a.alice, 1000);
    const h = async (amount: number, timeoutSeconds: number) =>
      book.hold(suite.em(), { id: id(), debit: a.alice, credit: a.shop, amount, timeoutSeconds });
    const short1 = await h(100, 10);
    const short2 = await h(200, 20);
    const long = await h(300, 3600);
    expect(await available(a.alice)).toBe(400);

    expect(await book.expire(suite.em(), new Date(clock.getTime() + 9_000))).toBe(0);
    expect(await book.expire(suite.em(), new Date(clock.getTime() + 20_000))).toBe(2);
    expect(await book.expire(suite.em(), new Date(clock.getTime() + 20_000))).toBe(0);
    expect(await book.balance(suite.em(), a.alice)).toMatchObject({
      posted: 1000,
      debitsPending: 300,
      available: 700,
    });
    const rows = await suite.sql<{ id: string; status: string; pending_id: string | null }>(
      `select id, status, pending_id from book_test.book_transfer where pending_id in (?) or id in (?)`,
      [
        [short1.id, short2.id, long.id],
        [short1.id, short2.id, long.id],
      ],
    );
    const status = (transferId: string) => rows.find((r) => r.id === transferId)?.status;
    expect([status(short1.id), status(short2.id), status(long.id)]).toEqual([
      'EXPIRED',
      'EXPIRED',
      'PENDING',
    ]);
    expect(rows.filter((r) => r.pending_id !== null).map((r) => r.status)).toEqual([
      'EXPIRED',
      'EXPIRED',
    ]);
    expect(
      await rejection(() => book.post(suite.em(), { id: id(), pendingId: short1.id })),
    ).toMatchObject({ reason: 'HOLD_NOT_PENDING', status: 'EXPIRED' });
    // The clock given to the book is the default of `expire`.
    clock = new Date(clock.getTime() + 3600_000);
    expect(await book.expire(suite.em())).toBe(1);
    expect(await available(a.alice)).toBe(1000);
  });
});

describe('transfers', () => {
  it('lists both sides of an account, newest first, a page at a time', async () => {
    const a = await accounts();
    await fund(a.issuer, a.alice, 500);
    for (let i = 1; i <= 4; i++)
      await book.transfer(suite.em(), { id: id(), debit: a.alice, credit: a.shop, amount: i });
    const first = await book.transfers(suite.em(), a.alice, { limit: 2 });
    expect(first.items.map((t) => t.amount)).toEqual([4, 3]);
    expect(first.next).toBe(first.items[1]?.seq);
    const second = await book.transfers(suite.em(), a.alice, { limit: 2, before: first.next! });
    expect(second.items.map((t) => t.amount)).toEqual([2, 1]);
    const last = await book.transfers(suite.em(), a.alice, { limit: 2, before: second.next! });
    expect(last.items.map((t) => [t.amount, t.creditAccountId])).toEqual([[500, a.alice]]);
    expect(last.next).toBeNull();
    expect((await book.transfers(suite.em(), a.shop)).items).toHaveLength(4);
    expect(await rejection(() => book.transfers(suite.em(), id()))).toBeInstanceOf(AccountNotFound);
    expect(
      await rejection(() => book.transfers(suite.em(), a.alice, { limit: 501 })),
    ).toBeInstanceOf(InvalidBookInput);
  });
});

describe('checkInvariants', () => {
  it('reports a clean book with equal debits and credits', async () => {
    const a = await accounts();
    await fund(a.issuer, a.alice, 300);
    await book.hold(suite.em(), {
      id: id(),
      debit: a.alice,
      credit: a.shop,
      amount: 50,
      timeoutSeconds: 60,
    });
    const report = await book.checkInvariants(suite.em());
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.totals.debitsPosted).toBe(report.totals.creditsPosted);
    expect(report.totals.debitsPosted).toBe(report.transferTotals.posted);
    expect(report.totals.debitsPending).toBe(report.totals.creditsPending);
    expect(report.totals.debitsPending).toBe(report.transferTotals.pending);
    expect(report.totals.debitsPending).toBeGreaterThanOrEqual(50);
  });

  it('finds the damage when the guards are switched off behind its back', async () => {
    // A book in its own schema, whose owner disables the guard trigger (DDL) and edits a total.
    await suite.createSchema('book_damaged');
    const damaged = new Book('book_damaged');
    const em = suite.em();
    const issuer = await damaged.openAccount(em, {
      code: 'issuer',
      kind: 'ISSUER',
      allowNegative: true,
    });
    const holder = await damaged.openAccount(em, { code: 'holder', kind: 'HOLDER' });
    await damaged.transfer(em, { id: id(), debit: issuer.id, credit: holder.id, amount: 100 });
    expect((await damaged.checkInvariants(em)).ok).toBe(true);
    await suite.sql(`alter table book_damaged.book_account disable trigger book_account_guard`);
    await suite.sql(
      `update book_damaged.book_account set credits_posted = credits_posted + 900 where id = ?`,
      [holder.id],
    );
    const report = await damaged.checkInvariants(em);
    expect(report.ok).toBe(false);
    expect(report.mismatchedAccounts).toEqual([
      { accountId: holder.id, code: 'holder', stored: [0, 1000, 0, 0], computed: [0, 100, 0, 0] },
    ]);
    expect(report.problems).toContain('posted debits 100 differ from posted credits 1000');
    await suite.sql(`drop schema book_damaged cascade`);
  });
});

describe('errors', () => {
  it('are domain errors with Italian and English messages', () => {
    const error = new InsufficientFunds(id(), 10, 20);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('InsufficientFunds');
    const formatted = formatError({ message: '' }, new GraphQLError('', { originalError: error }));
    expect(formatted.extensions).toEqual({
      code: 'CONFLICT',
      messages: { it: 'Credito insufficiente.', en: 'Insufficient funds.' },
      reason: 'INSUFFICIENT_FUNDS',
    });
    const amount = formatError(
      { message: '' },
      new GraphQLError('', { originalError: new InvalidAmount(0) }),
    );
    expect(amount.extensions?.code).toBe('BAD_USER_INPUT');
    expect(amount.extensions?.fields).toHaveLength(1);
  });

  it('are exported by the kit’s book entry (@welfare/kit/book)', () => {
    expect(bookEntry.Book).toBe(Book);
    expect(bookEntry.TransferConflict).toBe(TransferConflict);
    expect(bookEntry.bookMigrationSql).toBe(bookMigrationSql);
  });
});

describe('the database itself', () => {
  let a: Awaited<ReturnType<typeof accounts>>;
  let holdId: string;

  beforeAll(async () => {
    clock = new Date('2026-03-01T10:00:00.000Z');
    a = await accounts();
    await fund(a.issuer, a.alice, 1000);
    holdId = (
      await book.hold(suite.em(), {
        id: id(),
        debit: a.alice,
        credit: a.shop,
        amount: 300,
        timeoutSeconds: 60,
      })
    ).id;
  });

  async function refused(
    query: string,
    params: unknown[] = [],
  ): Promise<{ code?: string; message: string }> {
    const err = (await rejection(() => suite.sql(query, params))) as Error & { code?: string };
    return { code: err.code, message: err.message };
  }

  afterAll(async () => {
    // Whatever was tried, the accounts are as the book left them.
    expect(await book.balance(suite.em(), a.alice)).toMatchObject({
      creditsPosted: 1000,
      debitsPosted: 0,
      debitsPending: 300,
      available: 700,
    });
    expect(await book.balance(suite.em(), a.shop)).toMatchObject({
      creditsPending: 300,
      posted: 0,
    });
  });

  it('refuses a direct change of an account total, kind or permission', async () => {
    for (const set of [
      'credits_posted = credits_posted + 100',
      'debits_posted = 0',
      'debits_pending = 0',
      "kind = 'ISSUER'",
      'allow_negative = true',
      "code = 'renamed'",
    ]) {
      expect(
        await refused(`update book_test.book_account set ${set} where id = ?`, [a.alice]),
        set,
      ).toMatchObject({
        code: '23001',
        message: expect.stringContaining('account totals change only') as unknown,
      });
    }
  });

  it('refuses an account opened with money, or a negative one that is not the issuer', async () => {
    expect(
      await refused(
        `insert into book_test.book_account (code, kind, credits_posted) values ('rich', 'HOLDER', 100)`,
      ),
    ).toMatchObject({ code: '23514', message: expect.stringContaining('zero totals') as unknown });
    expect(
      await refused(
        `insert into book_test.book_account (code, kind, allow_negative) values ('neg', 'HOLDER', true)`,
      ),
    ).toMatchObject({
      code: '23514',
      message: expect.stringContaining('book_account_allow_negative_check') as unknown,
    });
    expect(
      await refused(`insert into book_test.book_account (code, kind) values ('empty', ' ')`),
    ).toMatchObject({
      code: '23514',
    });
  });

  it('refuses a transfer that overdraws an account, or spends held money', async () => {
    const insert = (amount: number) =>
      refused(
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status)
         values (gen_random_uuid(), ?, ?, ?, 'POSTED')`,
        [a.alice, a.shop, amount],
      );
    expect(await insert(701)).toMatchObject({
      code: '23514',
      message: expect.stringContaining('book_account_available_check') as unknown,
    });
    expect(
      await refused(
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status, expires_at)
         values (gen_random_uuid(), ?, ?, 701, 'PENDING', now() + interval '1 minute')`,
        [a.alice, a.shop],
      ),
    ).toMatchObject({ code: '23514' });
  });

  it('refuses malformed transfers', async () => {
    const insert = (debit: string, credit: string, amount: string, status: string, extra = '') =>
      refused(
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status${extra ? ', expires_at' : ''})
         values (gen_random_uuid(), ?, ?, ${amount}, ?${extra})`,
        [debit, credit, status],
      );
    expect(await insert(a.issuer, a.issuer, '1', 'POSTED')).toMatchObject({
      message: expect.stringContaining('book_transfer_accounts_check') as unknown,
    });
    expect(await insert(a.issuer, a.alice, '0', 'POSTED')).toMatchObject({
      message: expect.stringContaining('book_transfer_amount_check') as unknown,
    });
    expect(await insert(a.issuer, a.alice, String(BOOK_MAX_AMOUNT + 1), 'POSTED')).toMatchObject({
      message: expect.stringContaining('book_transfer_amount_check') as unknown,
    });
    expect(await insert(a.issuer, a.alice, '1', 'PENDING')).toMatchObject({
      message: expect.stringContaining('book_transfer_shape_check') as unknown,
    });
    expect(
      await insert(a.issuer, a.alice, '1', 'POSTED', ", now() + interval '1 minute'"),
    ).toMatchObject({
      message: expect.stringContaining('a hold is inserted PENDING') as unknown,
    });
  });

  it('refuses to update, delete or truncate transfers, or to resolve a hold by hand', async () => {
    expect(
      await refused(`update book_test.book_transfer set amount = amount + 1 where id = ?`, [
        holdId,
      ]),
    ).toMatchObject({ code: '23001', message: expect.stringContaining('append-only') as unknown });
    expect(
      await refused(`update book_test.book_transfer set status = 'VOIDED' where id = ?`, [holdId]),
    ).toMatchObject({ code: '23001' });
    expect(
      await refused(`delete from book_test.book_transfer where id = ?`, [holdId]),
    ).toMatchObject({
      code: '23001',
    });
    expect(
      await refused(`delete from book_test.book_account where id = ?`, [a.alice]),
    ).toMatchObject({
      code: '23001',
    });
    expect(await refused(`truncate book_test.book_transfer cascade`)).toMatchObject({
      code: '23001',
    });
    expect(await refused(`truncate book_test.book_account cascade`)).toMatchObject({
      code: '23001',
    });
  });

  it('refuses a resolution that does not fit its hold', async () => {
    const resolve = (status: string, amount: number, debit = a.alice) =>
      refused(
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status, pending_id)
         values (gen_random_uuid(), ?, ?, ?, ?, ?)`,
        [debit, a.shop, amount, status, holdId],
      );
    expect(await resolve('POSTED', 301)).toMatchObject({
      code: '23514',
      message: expect.stringContaining('which holds 300') as unknown,
    });
    expect(await resolve('VOIDED', 299)).toMatchObject({ code: '23514' });
    expect(await resolve('POSTED', 100, a.issuer)).toMatchObject({
      message: expect.stringContaining('names other accounts') as unknown,
    });
  });

  it('resolves a hold once, even by raw SQL', async () => {
    const other = await book.hold(suite.em(), {
      id: id(),
      debit: a.issuer,
      credit: a.shop,
      amount: 5,
      timeoutSeconds: 60,
    });
    await suite.sql(
      `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status, pending_id)
       values (gen_random_uuid(), ?, ?, 5, 'VOIDED', ?)`,
      [a.issuer, a.shop, other.id],
    );
    expect(
      await refused(
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status, pending_id)
         values (gen_random_uuid(), ?, ?, 5, 'POSTED', ?)`,
        [a.issuer, a.shop, other.id],
      ),
    ).toMatchObject({
      code: '23505',
      message: expect.stringContaining('book_transfer_pending_key') as unknown,
    });
    // An INSERT ... ON CONFLICT DO NOTHING that finds the id has no effect at all.
    const before = await book.balance(suite.em(), a.shop);
    await suite.sql(
      `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status)
       values (?, ?, ?, 1, 'POSTED') on conflict (id) do nothing`,
      [holdId, a.issuer, a.shop],
    );
    expect(await book.balance(suite.em(), a.shop)).toEqual(before);
  });
});
