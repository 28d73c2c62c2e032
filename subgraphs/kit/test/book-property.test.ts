import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Book, type Account, type Transfer, type TransferStatus } from '../src/book/book.js';
import { BookError, type BookErrorReason } from '../src/book/errors.js';
import { BOOK_MAX_AMOUNT } from '../src/book/schema.js';
import { setupBookSuite, type BookSuite } from './book-helpers.js';

/*
 * Random sequences of transfers, batches of transfers, holds, posts, voids, expiries and replays
 * over an issuer and three holders, any of them hot (their posted credits appended and folded now
 * and then: invisible to the model), each run in a fresh book schema. A small model written from the rules (not from the
 * implementation) predicts every outcome; after each run the account totals must equal the model's,
 * the book's own invariant check must be clean, and every id must be applied once.
 */

let suite: BookSuite;
let runs = 0;
/** How the batches of the sequential runs ended: the generator must reach every outcome. */
const batchOutcomes = new Map<string, number>();

beforeAll(async () => {
  suite = await setupBookSuite('property', { poolMax: 20 });
});
afterAll(async () => {
  await suite.close();
});

/** A fresh book in a schema of its own (holds of other runs would otherwise expire in this one). */
async function freshBook(now: () => Date): Promise<{ book: Book; schema: string }> {
  const schema = `prop_${++runs}`;
  await suite.createSchema(schema);
  return { book: new Book(schema, { now }), schema };
}

const ISSUER = 0;
const ACCOUNTS = 4;

type Command =
  | { t: 'transfer'; from: number; to: number; amount: number }
  | { t: 'hold'; from: number; to: number; amount: number; timeout: number }
  | { t: 'post'; target: number; miss: number; amount: number | undefined }
  | { t: 'void'; target: number; miss: number }
  | { t: 'expire'; advance: number; sweep: boolean }
  | { t: 'replay'; op: number; change: boolean }
  | { t: 'batch'; items: BatchItem[] };

/**
 * One transfer of a batch: a new one, an earlier single-phase transfer sent again (as it was or
 * changed), or the previous item of the same batch repeated.
 */
type BatchItem =
  | { k: 'new'; from: number; to: number; amount: number }
  | { k: 'again'; op: number; change: boolean }
  | { k: 'twice' };

const amountArb = fc.oneof(
  { weight: 15, arbitrary: fc.integer({ min: 1, max: 400 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -3, 2.5, BOOK_MAX_AMOUNT + 1) },
);
const accountArb = fc.integer({ min: 0, max: ACCOUNTS - 1 });
/** The credit account, as an offset from the debit one: mostly another account, rarely the same. */
const offsetArb = fc.oneof(
  { weight: 15, arbitrary: fc.integer({ min: 1, max: ACCOUNTS - 1 }) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const missArb = fc.integer({ min: 0, max: 19 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('transfer' as const),
      from: accountArb,
      to: offsetArb,
      amount: amountArb,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('hold' as const),
      from: accountArb,
      to: offsetArb,
      amount: amountArb,
      timeout: fc.integer({ min: 1, max: 90 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('post' as const),
      target: fc.nat({ max: 4 }),
      miss: missArb,
      amount: fc.option(amountArb, { nil: undefined, freq: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('void' as const),
      target: fc.nat({ max: 4 }),
      miss: missArb,
    }),
  },
  {
    // The clock moves on; with `sweep`, expire() runs (otherwise holds stay past their expiry).
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('expire' as const),
      advance: fc.integer({ min: 0, max: 60 }),
      sweep: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('replay' as const), op: fc.nat(), change: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('batch' as const),
      items: fc.array(
        fc.oneof(
          {
            weight: 12,
            arbitrary: fc.record({
              k: fc.constant('new' as const),
              from: accountArb,
              to: offsetArb,
              amount: amountArb,
            }),
          },
          {
            weight: 3,
            arbitrary: fc.record({
              k: fc.constant('again' as const),
              op: fc.nat(),
              change: fc.boolean(),
            }),
          },
          { weight: 1, arbitrary: fc.record({ k: fc.constant('twice' as const) }) },
        ),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  },
);

/** A request as sent to the book, kept for replays. */
interface Movement {
  id: string;
  from: number;
  to: number;
  amount: number;
  timeout: number;
}
interface Resolution {
  id: string;
  pendingId: string;
  amount?: number;
  reference?: string;
}
type Request =
  | { method: 'batch'; items: Movement[] }
  | ({ method: 'transfer' } & Movement)
  | ({ method: 'hold' } & Movement)
  | ({ method: 'post' } & Resolution)
  | ({ method: 'void' } & Resolution);

interface Row {
  id: string;
  kind: 'single' | 'hold' | 'resolution';
  debit: number;
  credit: number;
  amount: number;
  status: TransferStatus;
  pendingId: string | null;
  expiresAt: number | null;
  reference: string | null;
}

type Outcome = { row: Row } | { rows: Row[] } | { error: BookErrorReason };

const valid = (amount: number) =>
  Number.isInteger(amount) && amount > 0 && amount <= BOOK_MAX_AMOUNT;

/** What the rules say should happen. */
class Model {
  readonly totals = Array.from({ length: ACCOUNTS }, () => ({ dp: 0, cp: 0, dpe: 0, cpe: 0 }));
  readonly rows = new Map<string, Row>();
  expiryRows = 0;
  constructor(public now: number) {}

  available(i: number): number {
    const t = this.totals[i]!;
    return t.cp - t.dp - t.dpe;
  }

  private move(debit: number, credit: number, posted: number, pending: number): void {
    this.totals[debit]!.dp += posted;
    this.totals[debit]!.dpe += pending;
    this.totals[credit]!.cp += posted;
    this.totals[credit]!.cpe += pending;
  }

  /**
   * A batch: refused as a whole when any item is malformed or an id repeats (INVALID_INPUT), when an
   * id was applied with other fields or as another shape (TRANSFER_CONFLICT), or when a holder's
   * new debits together exceed what it has before the batch (INSUFFICIENT_FUNDS); else each new one
   * is applied and the known ones returned.
   */
  private applyBatch(items: Movement[]): Outcome {
    if (items.some((m) => m.from === m.to || !valid(m.amount))) return { error: 'INVALID_INPUT' };
    if (new Set(items.map((m) => m.id)).size !== items.length) return { error: 'INVALID_INPUT' };
    for (const m of items) {
      const existing = this.rows.get(m.id);
      if (
        existing &&
        !(
          existing.kind === 'single' &&
          existing.debit === m.from &&
          existing.credit === m.to &&
          existing.amount === m.amount
        )
      )
        return { error: 'TRANSFER_CONFLICT' };
    }
    const fresh = items.filter((m) => !this.rows.has(m.id));
    const debits = new Map<number, number>();
    for (const m of fresh) debits.set(m.from, (debits.get(m.from) ?? 0) + m.amount);
    for (const [from, sum] of debits)
      if (from !== ISSUER && this.available(from) < sum) return { error: 'INSUFFICIENT_FUNDS' };
    for (const m of fresh) this.apply({ method: 'transfer', ...m });
    return { rows: items.map((m) => this.rows.get(m.id)!) };
  }

  apply(r: Request): Outcome {
    if (r.method === 'batch') return this.applyBatch(r.items);
    if (r.method === 'transfer' || r.method === 'hold') {
      const hold = r.method === 'hold';
      if (r.from === r.to) return { error: 'INVALID_INPUT' };
      if (!valid(r.amount)) return { error: 'INVALID_AMOUNT' };
      const existing = this.rows.get(r.id);
      if (existing) {
        const same =
          existing.kind === (hold ? 'hold' : 'single') &&
          existing.debit === r.from &&
          existing.credit === r.to &&
          existing.amount === r.amount;
        return same ? { row: existing } : { error: 'TRANSFER_CONFLICT' };
      }
      if (r.from !== ISSUER && this.available(r.from) < r.amount)
        return { error: 'INSUFFICIENT_FUNDS' };
      const row: Row = {
        id: r.id,
        kind: hold ? 'hold' : 'single',
        debit: r.from,
        credit: r.to,
        amount: r.amount,
        status: hold ? 'PENDING' : 'POSTED',
        pendingId: null,
        expiresAt: hold ? this.now + r.timeout * 1000 : null,
        reference: null,
      };
      this.rows.set(r.id, row);
      if (hold) this.move(r.from, r.to, 0, r.amount);
      else this.move(r.from, r.to, r.amount, 0);
      return { row };
    }
    const status = r.method === 'post' ? 'POSTED' : 'VOIDED';
    if (r.amount !== undefined && !valid(r.amount)) return { error: 'INVALID_AMOUNT' };
    const target = this.rows.get(r.pendingId);
    const hold = target?.kind === 'hold' ? target : undefined;
    const existing = this.rows.get(r.id);
    if (existing) {
      const same =
        hold !== undefined &&
        existing.pendingId === hold.id &&
        existing.status === status &&
        existing.amount === (r.amount ?? hold.amount) &&
        existing.reference === (r.reference ?? hold.reference);
      return same ? { row: existing } : { error: 'TRANSFER_CONFLICT' };
    }
    if (!hold) return { error: 'TRANSFER_NOT_FOUND' };
    if (hold.status !== 'PENDING') return { error: 'HOLD_NOT_PENDING' };
    if (status === 'POSTED') {
      if (hold.expiresAt! <= this.now) return { error: 'HOLD_EXPIRED' };
      if (r.amount !== undefined && r.amount > hold.amount) return { error: 'INVALID_AMOUNT' };
    }
    const amount = r.amount ?? hold.amount;
    const row: Row = {
      id: r.id,
      kind: 'resolution',
      debit: hold.debit,
      credit: hold.credit,
      amount,
      status,
      pendingId: hold.id,
      expiresAt: null,
      reference: r.reference ?? hold.reference,
    };
    this.rows.set(r.id, row);
    hold.status = status;
    this.move(hold.debit, hold.credit, status === 'POSTED' ? amount : 0, -hold.amount);
    return { row };
  }

  expire(): number {
    let count = 0;
    for (const hold of this.rows.values()) {
      if (hold.kind === 'hold' && hold.status === 'PENDING' && hold.expiresAt! <= this.now) {
        hold.status = 'EXPIRED';
        this.move(hold.debit, hold.credit, 0, -hold.amount);
        count++;
      }
    }
    this.expiryRows += count;
    return count;
  }
}

/** Runs one request against the book; a refusal must be a BookError. */
async function send(
  book: Book,
  em: ReturnType<BookSuite['em']>,
  ids: string[],
  r: Request,
): Promise<{ transfer: Transfer } | { transfers: Transfer[] } | { error: BookErrorReason }> {
  try {
    if (r.method === 'batch')
      return {
        transfers: await book.transferMany(
          em,
          r.items.map((m) => ({
            id: m.id,
            debit: ids[m.from]!,
            credit: ids[m.to]!,
            amount: m.amount,
          })),
        ),
      };
    const transfer =
      r.method === 'transfer' || r.method === 'hold'
        ? await book[r.method](em, {
            id: r.id,
            debit: ids[r.from]!,
            credit: ids[r.to]!,
            amount: r.amount,
            timeoutSeconds: r.timeout,
          })
        : await book[r.method](em, {
            id: r.id,
            pendingId: r.pendingId,
            amount: r.amount,
            reference: r.reference,
          });
    return { transfer };
  } catch (err) {
    if (err instanceof BookError) return { error: err.reason };
    throw err;
  }
}

/** Ids of the holds and single-phase transfers applied so far. */
interface Applied {
  holds: string[];
  singles: string[];
}

function remember(applied: Applied, result: Awaited<ReturnType<typeof send>>): void {
  const transfers =
    'transfer' in result ? [result.transfer] : 'transfers' in result ? result.transfers : [];
  for (const t of transfers) {
    if (t.expiresAt !== null && !applied.holds.includes(t.id)) applied.holds.push(t.id);
    if (t.expiresAt === null && t.pendingId === null && !applied.singles.includes(t.id))
      applied.singles.push(t.id);
  }
}

/** The ids of the transfers a result returns. */
const returned = (result: Awaited<ReturnType<typeof send>>): string[] =>
  'transfer' in result
    ? [result.transfer.id]
    : 'transfers' in result
      ? result.transfers.map((t) => t.id)
      : [];

/**
 * Turns a generated command into a request: new ids; posts and voids aim at one of the last holds
 * applied (most likely still pending), or now and then at a single-phase transfer or an unknown id;
 * replays repeat an earlier request, as it was or changed.
 */
function request(command: Command, sent: Request[], applied: Applied): Request | undefined {
  const { holds, singles } = applied;
  const target = (c: { target: number; miss: number }) =>
    c.miss === 0 || holds.length === 0
      ? randomUUID()
      : c.miss === 1 && singles.length
        ? singles[c.target % singles.length]!
        : holds[holds.length - 1 - (c.target % holds.length)]!;
  const rng = randomUUID;
  switch (command.t) {
    case 'transfer':
      return {
        method: 'transfer',
        id: rng(),
        from: command.from,
        to: (command.from + command.to) % ACCOUNTS,
        amount: command.amount,
        timeout: 0,
      };
    case 'hold':
      return {
        method: 'hold',
        id: rng(),
        from: command.from,
        to: (command.from + command.to) % ACCOUNTS,
        amount: command.amount,
        timeout: command.timeout,
      };
    case 'post':
      return { method: 'post', id: rng(), pendingId: target(command), amount: command.amount };
    case 'void':
      return { method: 'void', id: rng(), pendingId: target(command) };
    case 'batch': {
      // Earlier single-phase requests, from transfers and from batches.
      const movements = sent.flatMap((r) =>
        r.method === 'transfer' ? [r] : r.method === 'batch' ? r.items : [],
      );
      const items: Movement[] = [];
      for (const item of command.items) {
        if (item.k === 'new')
          items.push({
            id: rng(),
            from: item.from,
            to: (item.from + item.to) % ACCOUNTS,
            amount: item.amount,
            timeout: 0,
          });
        else if (item.k === 'twice') {
          const last = items[items.length - 1];
          if (last) items.push({ ...last });
        } else {
          const earlier = movements[item.op % Math.max(movements.length, 1)];
          if (earlier)
            items.push({
              id: earlier.id,
              from: earlier.from,
              to: earlier.to,
              amount: earlier.amount + (item.change ? 1 : 0),
              timeout: 0,
            });
        }
      }
      return items.length ? { method: 'batch', items } : undefined;
    }
    case 'replay': {
      const original = sent[command.op % Math.max(sent.length, 1)];
      if (!original) return undefined;
      if (!command.change) return { ...original };
      if (original.method === 'batch')
        return {
          method: 'batch',
          items: original.items.map((m, i) => (i === 0 ? { ...m, amount: m.amount + 1 } : m)),
        };
      if (original.method === 'transfer' || original.method === 'hold')
        return { ...original, amount: original.amount + 1 };
      return { ...original, reference: 'changed' };
    }
    case 'expire':
      return undefined;
  }
}

async function accountsOf(
  book: Book,
  em: ReturnType<BookSuite['em']>,
  hot: readonly boolean[],
): Promise<string[]> {
  const ids = [
    (
      await book.openAccount(em, {
        code: 'issuer',
        kind: 'ISSUER',
        allowNegative: true,
        hot: hot[ISSUER],
      })
    ).id,
  ];
  for (let i = 1; i < ACCOUNTS; i++)
    ids.push((await book.openAccount(em, { code: `holder-${i}`, kind: 'HOLDER', hot: hot[i] })).id);
  return ids;
}

async function rowCount(schema: string): Promise<number> {
  const [row] = await suite.sql<{ n: string }>(
    `select count(*)::text as n from ${schema}.book_transfer`,
  );
  return Number(row?.n);
}

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
/** What the issuer credits each holder before the commands (0 leaves a holder empty). */
const fundingArb = fc.array(fc.integer({ min: 0, max: 1500 }), {
  minLength: ACCOUNTS - 1,
  maxLength: ACCOUNTS - 1,
});
const commandsArb = (maxLength: number) => fc.array(commandArb, { minLength: 10, maxLength });
/** Which accounts are hot (the issuer's included). */
const hotArb = fc.array(fc.boolean(), { minLength: ACCOUNTS, maxLength: ACCOUNTS });

describe('the book under random operations', () => {
  it('agrees with the model after every step; debits equal credits; each id applied once', async () => {
    await fc.assert(
      fc.asyncProperty(fundingArb, commandsArb(40), hotArb, async (funding, commands, hot) => {
        const model = new Model(T0);
        const { book, schema } = await freshBook(() => new Date(model.now));
        const em = suite.em();
        try {
          const ids = await accountsOf(book, em, hot);
          const sent: Request[] = [];
          const applied: Applied = { holds: [], singles: [] };
          const step = async (r: Request) => {
            sent.push(r);
            const expected = model.apply(r);
            const actual = await send(book, em, ids, r);
            remember(applied, actual);
            if (r.method === 'batch') {
              const outcome = 'error' in expected ? expected.error : 'APPLIED';
              batchOutcomes.set(outcome, (batchOutcomes.get(outcome) ?? 0) + 1);
            }
            if ('error' in expected) {
              expect(actual, JSON.stringify(r)).toEqual({ error: expected.error });
            } else if ('rows' in expected) {
              expect('transfers' in actual && actual.transfers, JSON.stringify(r)).toMatchObject(
                expected.rows.map((row) => ({
                  id: row.id,
                  debitAccountId: ids[row.debit],
                  creditAccountId: ids[row.credit],
                  amount: row.amount,
                  status: row.status,
                  pendingId: null,
                  expiresAt: null,
                })),
              );
            } else {
              expect('transfer' in actual && actual.transfer, JSON.stringify(r)).toMatchObject({
                id: expected.row.id,
                debitAccountId: ids[expected.row.debit],
                creditAccountId: ids[expected.row.credit],
                amount: expected.row.amount,
                status: expected.row.status,
                pendingId: expected.row.pendingId,
              });
            }
          };
          for (const [i, amount] of funding.entries())
            if (amount > 0)
              await step({
                method: 'transfer',
                id: randomUUID(),
                from: ISSUER,
                to: i + 1,
                amount,
                timeout: 0,
              });
          for (const command of commands) {
            if (command.t === 'expire') {
              model.now += command.advance * 1000;
              if (command.sweep) {
                expect(await book.expire(em)).toBe(model.expire());
                // The periodic fold of the hot accounts moves no balance.
                await book.fold(em);
              }
              continue;
            }
            const r = request(command, sent, applied);
            if (r) await step(r);
          }

          for (let i = 0; i < ACCOUNTS; i++) {
            const t = model.totals[i]!;
            expect(await book.balance(em, ids[i]!)).toMatchObject({
              hot: hot[i],
              debitsPosted: t.dp,
              creditsPosted: t.cp,
              debitsPending: t.dpe,
              creditsPending: t.cpe,
            });
            if (i !== ISSUER) expect(model.available(i)).toBeGreaterThanOrEqual(0);
          }
          const report = await book.checkInvariants(em);
          expect(report.problems).toEqual([]);
          expect(report.totals.debitsPosted).toBe(report.totals.creditsPosted);
          // Each id once: exactly the rows the model holds, plus one row per expiry.
          expect(await rowCount(schema)).toBe(model.rows.size + model.expiryRows);
          const stored = await suite.sql<{ id: string; status: string }>(
            `select id, status from ${schema}.book_transfer`,
          );
          for (const row of model.rows.values())
            expect(stored.find((x) => x.id === row.id)?.status).toBe(row.status);
        } finally {
          await suite.sql(`drop schema ${schema} cascade`);
        }
      }),
      { numRuns: 50 },
    );
    expect([...batchOutcomes.keys()].sort()).toEqual([
      'APPLIED',
      'INSUFFICIENT_FUNDS',
      'INVALID_INPUT',
      'TRANSFER_CONFLICT',
    ]);
  });

  it('keeps its invariants when the same operations arrive all at once', async () => {
    await fc.assert(
      fc.asyncProperty(fundingArb, commandsArb(30), hotArb, async (funding, commands, hot) => {
        let now = T0;
        const { book, schema } = await freshBook(() => new Date(now));
        try {
          const ids = await accountsOf(book, suite.em(), hot);
          const sent: Request[] = [];
          const applied: Applied = { holds: [], singles: [] };
          const results: Awaited<ReturnType<typeof send>>[] = [];
          const sequential = async (r: Request) => {
            sent.push(r);
            const result = await send(book, suite.em(), ids, r);
            remember(applied, result);
            results.push(result);
          };
          // Funding and holds first, one by one, so that posts, voids and replays have targets...
          for (const [i, amount] of funding.entries())
            if (amount > 0)
              await sequential({
                method: 'transfer',
                id: randomUUID(),
                from: ISSUER,
                to: i + 1,
                amount,
                timeout: 0,
              });
          for (const command of commands.filter((c) => c.t === 'hold'))
            await sequential(request(command, sent, applied)!);
          // ...then everything else at once, each request on its own connection.
          const burst: Promise<unknown>[] = [];
          let expiries = 0;
          for (const command of commands.filter((c) => c.t !== 'hold')) {
            if (command.t === 'expire') {
              now += command.advance * 1000;
              if (command.sweep) {
                burst.push(book.expire(suite.em(), new Date(now)).then((n) => (expiries += n)));
                burst.push(book.fold(suite.em()));
              }
              continue;
            }
            const r = request(command, sent, applied);
            if (!r) continue;
            sent.push(r);
            burst.push(send(book, suite.em(), ids, r).then((result) => results.push(result)));
          }
          await Promise.all(burst);

          const report = await book.checkInvariants(suite.em());
          expect(report.problems).toEqual([]);
          expect(report.totals.debitsPosted).toBe(report.totals.creditsPosted);
          // Each id once: the rows are the distinct ids that succeeded, plus the expiries.
          const succeeded = new Set(results.flatMap(returned));
          expect(await rowCount(schema)).toBe(succeeded.size + expiries);
          // A last fold leaves every balance as it was, and no credit unfolded.
          const totals = (accounts: Account[]) =>
            accounts.map((a) => [
              a.id,
              a.debitsPosted,
              a.creditsPosted,
              a.debitsPending,
              a.creditsPending,
            ]);
          const before = await book.accounts(suite.em(), { ids });
          await book.fold(suite.em());
          const after = await book.accounts(suite.em(), { ids });
          expect(totals(after)).toEqual(totals(before));
          expect(after.map((a) => a.unfoldedCredits)).toEqual(ids.map(() => 0));
        } finally {
          await suite.sql(`drop schema ${schema} cascade`);
        }
      }),
      { numRuns: 15 },
    );
  });
});
