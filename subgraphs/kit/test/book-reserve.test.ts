import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Book } from '../src/book/book.js';
import { InvalidBookInput, TransferConflict } from '../src/book/errors.js';
import { bookReserveSql } from '../src/book/schema.js';
import { expectCleanBook, id, rejection, setupBookSuite, type BookSuite } from './book-helpers.js';

/*
 * The reserve (the kit's `bookReserveSql`, `new Book(schema, { reserve: true })`): every posted
 * transfer moving an issuer account comes with one reserve entry (+ issued, - redeemed), checked
 * at commit by the database both ways, so that each issuer's reserve equals its circulation
 * whatever SQL runs.
 */

let suite: BookSuite;
let book: Book;

beforeAll(async () => {
  // 48 concurrent issues and redemptions, and the test's own reads.
  suite = await setupBookSuite('reserve', {
    poolMax: 60,
    book: { reserve: true },
    extraSql: bookReserveSql,
  });
  book = suite.book;
});
afterAll(async () => {
  await expectCleanBook(suite);
  await suite.close();
});

/** An issuer (hot when asked), `holders` holder accounts, unique to the calling test. */
async function world(holders: number, options: { hot?: boolean } = {}) {
  const tag = id().slice(0, 8);
  const em = suite.em();
  const issuer = (
    await book.openAccount(em, {
      code: `ies-${tag}`,
      kind: 'ISSUER',
      allowNegative: true,
      hot: options.hot === true,
    })
  ).id;
  const opened = await book.openAccounts(
    em,
    Array.from({ length: holders }, (_, i) => ({ code: `wallet-${tag}-${i}`, kind: 'HOLDER' })),
  );
  return { tag, issuer, holders: [...opened.values()].map((a) => a.id) };
}

/** The issuer's reserve total, which must equal its circulation. */
async function reserveOf(issuer: string): Promise<number> {
  const [total] = await book.reserveTotals(suite.em(), [issuer]);
  expect(total).toBeDefined();
  expect(total!.reserve).toBe(total!.circulation);
  return total!.reserve;
}

/** The error a raw SQL transaction fails its commit (or a statement) with. */
async function refusedTx(
  statements: [string, unknown[]][],
): Promise<{ code?: string; message: string }> {
  const err = (await rejection(() =>
    suite.em().transactional(async (tx) => {
      for (const [query, params] of statements) await tx.execute(query, params);
    }),
  )) as Error & { code?: string };
  return { code: err.code, message: err.message };
}

describe('issuing and redeeming', () => {
  it('issue, redeem and postRedemption write their entries and keep reserve = circulation', async () => {
    const w = await world(2);
    const [alice, bob] = w.holders as [string, string];
    const issued = await book.issue(suite.em(), {
      id: id(),
      debit: w.issuer,
      credit: alice,
      amount: 10_000,
      code: 'ISSUE',
      reserveReference: '  SEPA IN 001  ',
    });
    expect(issued.transfer).toMatchObject({ status: 'POSTED', amount: 10_000, code: 'ISSUE' });
    expect(issued.entry).toMatchObject({
      transferId: issued.transfer.id,
      issuerAccountId: w.issuer,
      amount: 10_000,
      reference: 'SEPA IN 001',
    });
    await book.issue(suite.em(), {
      id: id(),
      debit: w.issuer,
      credit: bob,
      amount: 2_500,
      reserveReference: 'SEPA IN 002',
    });
    expect(await reserveOf(w.issuer)).toBe(12_500);

    const redeemed = await book.redeem(suite.em(), {
      id: id(),
      debit: alice,
      credit: w.issuer,
      amount: 4_000,
      reserveReference: 'SEPA OUT 001',
    });
    expect(redeemed.entry).toMatchObject({ issuerAccountId: w.issuer, amount: -4_000 });
    expect(await reserveOf(w.issuer)).toBe(8_500);

    // A conversion to euro held while it is approved, then posted in part.
    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: bob,
      credit: w.issuer,
      amount: 2_000,
      timeoutSeconds: 3600,
    });
    expect(await reserveOf(w.issuer)).toBe(8_500);
    const posted = await book.postRedemption(suite.em(), {
      id: id(),
      pendingId: hold.id,
      amount: 1_500,
      reserveReference: 'SEPA OUT 002',
    });
    expect(posted.transfer).toMatchObject({ pendingId: hold.id, amount: 1_500 });
    expect(posted.entry).toMatchObject({ amount: -1_500, reference: 'SEPA OUT 002' });
    expect(await reserveOf(w.issuer)).toBe(7_000);
    expect((await book.balance(suite.em(), bob)).available).toBe(1_000);

    const entries = await book.reserveEntries(suite.em(), [
      issued.transfer.id,
      redeemed.transfer.id,
      posted.transfer.id,
      hold.id,
    ]);
    expect(entries.map((e) => e.amount)).toEqual([10_000, -4_000, -1_500]);
    // Every issuer account of the book: this one among them, each in balance.
    const all = await book.reserveTotals(suite.em());
    expect(all.find((t) => t.issuerAccountId === w.issuer)).toMatchObject({
      code: `ies-${w.tag}`,
      reserve: 7_000,
      circulation: 7_000,
    });
    for (const t of all) expect(t.reserve).toBe(t.circulation);
    const report = await book.checkInvariants(suite.em());
    expect(report).toMatchObject({ ok: true, reserveMismatches: [], badReserveEntries: [] });
  });

  it('replays by id return the same transfer and entry; other fields are a conflict', async () => {
    const w = await world(1);
    const [alice] = w.holders as [string];
    const issue = {
      id: id(),
      debit: w.issuer,
      credit: alice,
      amount: 900,
      reserveReference: 'SEPA IN R',
    };
    const first = await book.issue(suite.em(), issue);
    const again = await book.issue(suite.em(), { ...issue, reserveReference: ' SEPA IN R ' });
    expect(again).toEqual(first);
    expect(
      await rejection(() => book.issue(suite.em(), { ...issue, reserveReference: 'other' })),
    ).toBeInstanceOf(TransferConflict);
    expect(await rejection(() => book.issue(suite.em(), { ...issue, amount: 901 }))).toBeInstanceOf(
      TransferConflict,
    );

    const redeem = {
      id: id(),
      debit: alice,
      credit: w.issuer,
      amount: 300,
      reserveReference: 'SEPA OUT R',
    };
    const out = await book.redeem(suite.em(), redeem);
    expect(await book.redeem(suite.em(), redeem)).toEqual(out);
    // The same id as a redemption of the issuer credited: not the issuance it was.
    expect(
      await rejection(() => book.redeem(suite.em(), { ...issue, debit: alice, credit: w.issuer })),
    ).toBeInstanceOf(TransferConflict);

    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: alice,
      credit: w.issuer,
      amount: 200,
      timeoutSeconds: 60,
    });
    const post = { id: id(), pendingId: hold.id, reserveReference: 'SEPA OUT H' };
    const posted = await book.postRedemption(suite.em(), post);
    expect(await book.postRedemption(suite.em(), post)).toEqual(posted);
    expect(
      await rejection(() => book.postRedemption(suite.em(), { ...post, reserveReference: 'x' })),
    ).toBeInstanceOf(TransferConflict);

    // In the caller's transaction, a replay too.
    await suite.em().transactional(async (tx) => {
      expect(await book.issue(tx, issue)).toEqual(first);
    });
    const [count] = await suite.sql<{ n: string }>(
      `select count(*)::text as n from book_test.book_reserve_entry where issuer_account_id = ?`,
      [w.issuer],
    );
    expect(Number(count?.n)).toBe(3);
    expect(await reserveOf(w.issuer)).toBe(400);
  });

  it('refuses the wrong sides and bad references, writing nothing', async () => {
    const w = await world(2);
    const [alice, bob] = w.holders as [string, string];
    const other = (
      await book.openAccount(suite.em(), {
        code: `ies2-${w.tag}`,
        kind: 'ISSUER',
        allowNegative: true,
      })
    ).id;
    await book.issue(suite.em(), {
      id: id(),
      debit: w.issuer,
      credit: alice,
      amount: 1_000,
      reserveReference: 'IN',
    });
    const fields = async (fn: () => Promise<unknown>) => {
      const err = await rejection(fn);
      expect(err).toBeInstanceOf(InvalidBookInput);
      return (err as InvalidBookInput).fields.map((f) => f.field);
    };
    // Issuing from a holder; redeeming into a holder; between two issuers.
    expect(
      await fields(() =>
        book.issue(suite.em(), {
          id: id(),
          debit: alice,
          credit: bob,
          amount: 1,
          reserveReference: 'IN',
        }),
      ),
    ).toEqual(['debit']);
    expect(
      await fields(() =>
        book.redeem(suite.em(), {
          id: id(),
          debit: alice,
          credit: bob,
          amount: 1,
          reserveReference: 'OUT',
        }),
      ),
    ).toEqual(['credit']);
    expect(
      await fields(() =>
        book.issue(suite.em(), {
          id: id(),
          debit: w.issuer,
          credit: other,
          amount: 1,
          reserveReference: 'IN',
        }),
      ),
    ).toEqual(['credit']);
    expect(
      await fields(() =>
        book.issue(suite.em(), {
          id: id(),
          debit: w.issuer,
          credit: alice,
          amount: 1,
          reserveReference: '   ',
        }),
      ),
    ).toEqual(['reserveReference']);
    expect(
      await fields(() =>
        book.issue(suite.em(), {
          id: 'nope',
          debit: w.issuer,
          credit: alice,
          amount: 1,
          reserveReference: 'x'.repeat(501),
        }),
      ),
    ).toEqual(['id', 'reserveReference']);
    // A hold between holders is not a redemption.
    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: alice,
      credit: bob,
      amount: 10,
      timeoutSeconds: 60,
    });
    expect(
      await fields(() =>
        book.postRedemption(suite.em(), { id: id(), pendingId: hold.id, reserveReference: 'OUT' }),
      ),
    ).toEqual(['pendingId']);
    expect((await book.balance(suite.em(), bob)).posted).toBe(0);
    expect(await reserveOf(w.issuer)).toBe(1_000);
    expect(await reserveOf(other)).toBe(0);

    // A book without the reserve option has no such methods to call.
    const plain = new Book(suite.schema);
    const err = await rejection(() =>
      plain.issue(suite.em(), {
        id: id(),
        debit: w.issuer,
        credit: alice,
        amount: 1,
        reserveReference: 'IN',
      }),
    );
    expect(err).not.toBeInstanceOf(InvalidBookInput);
    expect(err.message).toContain('needs a book with a reserve');
    expect((await rejection(() => plain.reserveTotals(suite.em()))).message).toContain(
      'needs a book with a reserve',
    );
    expect((await plain.checkInvariants(suite.em())).reserveMismatches).toBeUndefined();
  });

  it('a hold to the issuer that is voided or expires needs no entry', async () => {
    const w = await world(1);
    const [alice] = w.holders as [string];
    await book.issue(suite.em(), {
      id: id(),
      debit: w.issuer,
      credit: alice,
      amount: 500,
      reserveReference: 'IN',
    });
    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: alice,
      credit: w.issuer,
      amount: 300,
      timeoutSeconds: 60,
    });
    await book.void(suite.em(), { id: id(), pendingId: hold.id });
    // An expiry, by a book whose clock is past the hold's.
    const later = new Book(suite.schema, {
      reserve: true,
      now: () => new Date(Date.now() + 3_600_000),
    });
    await book.hold(suite.em(), {
      id: id(),
      debit: alice,
      credit: w.issuer,
      amount: 200,
      timeoutSeconds: 1,
    });
    expect(await later.expire(suite.em())).toBeGreaterThanOrEqual(1);
    expect((await book.balance(suite.em(), alice)).available).toBe(500);
    expect(await reserveOf(w.issuer)).toBe(500);
    await expectCleanBook(suite);
  });
});

describe('the reserve in the database', () => {
  it('refuses at commit a transfer that moves the issuer without its entry', async () => {
    const w = await world(1);
    const [alice] = w.holders as [string];
    // Raw SQL.
    const raw = await refusedTx([
      [
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status)
         values (?, ?, ?, 100, 'POSTED')`,
        [id(), w.issuer, alice],
      ],
    ]);
    expect(raw).toMatchObject({
      code: '23514',
      message: expect.stringContaining('moves the issuer without its reserve entry') as unknown,
    });
    // The book's plain transfer, and a plain post of a hold to the issuer, alike.
    expect(
      await rejection(() =>
        book.transfer(suite.em(), { id: id(), debit: w.issuer, credit: alice, amount: 100 }),
      ),
    ).toMatchObject({ code: '23514' });
    await book.issue(suite.em(), {
      id: id(),
      debit: w.issuer,
      credit: alice,
      amount: 100,
      reserveReference: 'IN',
    });
    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: alice,
      credit: w.issuer,
      amount: 50,
      timeoutSeconds: 60,
    });
    expect(
      await rejection(() => book.post(suite.em(), { id: id(), pendingId: hold.id })),
    ).toMatchObject({ code: '23514' });
    // With an entry of the wrong sign, the transfer's check refuses it too.
    const t = id();
    const wrong = await refusedTx([
      [
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status)
         values (?, ?, ?, 100, 'POSTED')`,
        [t, w.issuer, alice],
      ],
      [
        `insert into book_test.book_reserve_entry (transfer_id, issuer_account_id, amount, reference)
         values (?, ?, -100, 'IN')`,
        [t, w.issuer],
      ],
    ]);
    expect(wrong.code).toBe('23514');
    // Nothing of it stayed; the hold is still pending.
    expect(await reserveOf(w.issuer)).toBe(100);
    expect((await book.balance(suite.em(), alice)).debitsPending).toBe(50);
    await book.void(suite.em(), { id: id(), pendingId: hold.id });
  });

  it('refuses an entry that is not its transfer’s, and any change to an entry', async () => {
    const w = await world(2);
    const [alice, bob] = w.holders as [string, string];
    const issued = await book.issue(suite.em(), {
      id: id(),
      debit: w.issuer,
      credit: alice,
      amount: 700,
      reserveReference: 'IN',
    });
    const entry = (query: string, params: unknown[]) =>
      refusedTx([
        [
          `insert into book_test.book_reserve_entry (transfer_id, issuer_account_id, amount, reference) ${query}`,
          params,
        ],
      ]);
    // No such transfer (the foreign key, at once).
    expect(await entry(`values (?, ?, 100, 'IN')`, [id(), w.issuer])).toMatchObject({
      code: '23503',
    });
    // A transfer between holders, with its own amount: not an issuer.
    const plain = await book.transfer(suite.em(), {
      id: id(),
      debit: alice,
      credit: bob,
      amount: 100,
    });
    expect(await entry(`values (?, ?, -100, 'X')`, [plain.id, bob])).toMatchObject({
      code: '23514',
      message: expect.stringContaining('not an issuer account') as unknown,
    });
    // A hold to the issuer (pending: it posted nothing).
    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: alice,
      credit: w.issuer,
      amount: 100,
      timeoutSeconds: 60,
    });
    expect(await entry(`values (?, ?, -100, 'X')`, [hold.id, w.issuer])).toMatchObject({
      code: '23514',
      message: expect.stringContaining('not a posted transfer') as unknown,
    });
    await book.void(suite.em(), { id: id(), pendingId: hold.id });
    // A second entry of a transfer that has one (the primary key), and a zero or blank one.
    expect(await entry(`values (?, ?, 700, 'IN')`, [issued.transfer.id, w.issuer])).toMatchObject({
      code: '23505',
    });
    expect(await entry(`values (?, ?, 0, 'IN')`, [id(), w.issuer])).toMatchObject({
      code: '23514',
    });
    expect(await entry(`values (?, ?, 5, ' ')`, [id(), w.issuer])).toMatchObject({
      code: '23514',
    });
    // A transfer and an entry of the wrong amount, together: refused at commit.
    const t = id();
    const wrong = await refusedTx([
      [
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status)
         values (?, ?, ?, 100, 'POSTED')`,
        [t, w.issuer, bob],
      ],
      [
        `insert into book_test.book_reserve_entry (transfer_id, issuer_account_id, amount, reference)
         values (?, ?, 101, 'IN')`,
        [t, w.issuer],
      ],
    ]);
    expect(wrong).toMatchObject({ code: '23514' });
    // Append-only.
    for (const query of [
      `update book_test.book_reserve_entry set amount = 1 where transfer_id = '${issued.transfer.id}'`,
      `delete from book_test.book_reserve_entry where transfer_id = '${issued.transfer.id}'`,
      `truncate book_test.book_reserve_entry`,
    ])
      expect(await refusedTx([[query, []]]), query).toMatchObject({ code: '23001' });
    // And a right one, by raw SQL, commits: the database checks, not the kit.
    const ok = id();
    await suite.em().transactional(async (tx) => {
      await tx.execute(
        `insert into book_test.book_transfer (id, debit_account_id, credit_account_id, amount, status)
         values (?, ?, ?, 40, 'POSTED')`,
        [ok, bob, w.issuer],
      );
      await tx.execute(
        `insert into book_test.book_reserve_entry (transfer_id, issuer_account_id, amount, reference)
         values (?, ?, -40, 'OUT')`,
        [ok, w.issuer],
      );
    });
    expect(await reserveOf(w.issuer)).toBe(660);
  });

  it('the invariants report an issuer whose reserve differs from its circulation', async () => {
    await suite.createSchema('book_reserve_damaged');
    const damaged = new Book('book_reserve_damaged', { reserve: true });
    const em = suite.em();
    const issuer = await damaged.openAccount(em, {
      code: 'ies',
      kind: 'ISSUER',
      allowNegative: true,
    });
    const wallet = await damaged.openAccount(em, { code: 'wallet', kind: 'HOLDER' });
    await damaged.issue(em, {
      id: id(),
      debit: issuer.id,
      credit: wallet.id,
      amount: 100,
      reserveReference: 'IN',
    });
    expect((await damaged.checkInvariants(em)).ok).toBe(true);
    // The schema's owner switches the check off (DDL) and moves money without the reserve.
    await suite.sql(
      `alter table book_reserve_damaged.book_transfer disable trigger book_transfer_reserve_check`,
    );
    const t = id();
    await suite.sql(
      `insert into book_reserve_damaged.book_transfer (id, debit_account_id, credit_account_id, amount, status)
       values (?, ?, ?, 50, 'POSTED')`,
      [t, issuer.id, wallet.id],
    );
    const report = await damaged.checkInvariants(em);
    expect(report.ok).toBe(false);
    expect(report.reserveMismatches).toEqual([
      { issuerAccountId: issuer.id, code: 'ies', reserve: 100, circulation: 150 },
    ]);
    expect(report.badReserveEntries).toEqual([
      {
        transferId: t,
        problem: 'a posted transfer that moves an issuer without its reserve entry',
      },
    ]);
    expect(report.problems).toContain('issuer ies: reserve 100 differs from circulation 150');
    await suite.sql(`drop schema book_reserve_damaged cascade`);
  });
});

describe('concurrent issues and redemptions', () => {
  it('60 at once (12 of them retries) keep the reserve equal to the circulation', async () => {
    const w = await world(24);
    // Each wallet starts with 1,000.
    await Promise.all(
      w.holders.map((h, i) =>
        book.issue(suite.em(), {
          id: id(),
          debit: w.issuer,
          credit: h,
          amount: 1_000,
          reserveReference: `IN ${i}`,
        }),
      ),
    );
    // Then at once: each wallet receives 500 more and gives back 700, a quarter of them twice
    // (a retry racing its first request).
    const ops = w.holders.flatMap((h, i) => {
      const issue = {
        id: id(),
        debit: w.issuer,
        credit: h,
        amount: 500,
        reserveReference: `IN2 ${i}`,
      };
      const redeem = {
        id: id(),
        debit: h,
        credit: w.issuer,
        amount: 700,
        reserveReference: `OUT ${i}`,
      };
      return [
        book.issue(suite.em(), issue),
        book.redeem(suite.em(), redeem),
        ...(i % 4 === 0 ? [book.redeem(suite.em(), redeem), book.issue(suite.em(), issue)] : []),
      ];
    });
    const settled = await Promise.allSettled(ops);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    expect(await reserveOf(w.issuer)).toBe(24 * 800);
    for (const h of w.holders) expect((await book.balance(suite.em(), h)).posted).toBe(800);
    await expectCleanBook(suite);
  });
});

describe('a hot issuer', () => {
  it('counts its redemptions not yet folded in its circulation', async () => {
    const w = await world(10, { hot: true });
    await Promise.all(
      w.holders.map((h, i) =>
        book.issue(suite.em(), {
          id: id(),
          debit: w.issuer,
          credit: h,
          amount: 300,
          reserveReference: `IN ${i}`,
        }),
      ),
    );
    // Redemptions credit the hot issuer: appended, its row not taken.
    const redeemed = await Promise.all(
      w.holders.map((h, i) =>
        book.redeem(suite.em(), {
          id: id(),
          debit: h,
          credit: w.issuer,
          amount: 100,
          reserveReference: `OUT ${i}`,
        }),
      ),
    );
    expect(redeemed.every((r) => r.entry.amount === -100)).toBe(true);
    const issuer = await book.balance(suite.em(), w.issuer);
    expect(issuer).toMatchObject({ hot: true, creditsPosted: 1_000, unfoldedCredits: 1_000 });
    expect(await reserveOf(w.issuer)).toBe(2_000);
    // A conversion held and posted to it, then an issue (which folds it first).
    const hold = await book.hold(suite.em(), {
      id: id(),
      debit: w.holders[0]!,
      credit: w.issuer,
      amount: 150,
      timeoutSeconds: 60,
    });
    await book.postRedemption(suite.em(), { id: id(), pendingId: hold.id, reserveReference: 'H' });
    expect(await reserveOf(w.issuer)).toBe(1_850);
    await book.issue(suite.em(), {
      id: id(),
      debit: w.issuer,
      credit: w.holders[1]!,
      amount: 50,
      reserveReference: 'IN late',
    });
    expect(await book.balance(suite.em(), w.issuer)).toMatchObject({ unfoldedCredits: 0 });
    expect(await reserveOf(w.issuer)).toBe(1_900);
    await book.fold(suite.em());
    expect(await reserveOf(w.issuer)).toBe(1_900);
    await expectCleanBook(suite);
  });
});
