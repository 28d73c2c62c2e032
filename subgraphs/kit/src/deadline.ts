import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import { DomainError } from './errors.js';

/**
 * "An answer is final" (ARCHITECTURE.md, Money). Every gateway call carries its deadline (an
 * absolute time, in the gateway's signed token): after it, the gateway has answered its client
 * (a timeout is answered as an unknown outcome), so nothing the request does may commit later.
 *
 * The kit enforces it for every request of every subgraph:
 * - `Admission` drops work still queued at its deadline before it starts, and refuses at once
 *   work it expects to finish too late (load shedding);
 * - `DeadlineSubscriber` (registered in every ORM, see `ormConfig`) refuses to begin a transaction
 *   after the deadline, sets `statement_timeout` and `lock_timeout` of each transaction to the time
 *   left, and rolls back a transaction instead of committing it when the deadline has passed or
 *   the caller has gone;
 * - PostgreSQL's timeouts surface as SERVICE_UNAVAILABLE (`formatError`).
 * Work outside any request (jobs, tests, start-up) has no budget and no limits.
 */
export interface RequestBudget {
  /** When the caller stops waiting, in epoch milliseconds. */
  readonly deadline: number;
  /** Set when the caller hung up before the answer was sent. */
  aborted: boolean;
}

const storage = new AsyncLocalStorage<RequestBudget>();

/**
 * Time kept back before the deadline: a transaction must begin its COMMIT at least this long
 * before it, so that the commit ends before the caller's answer goes out. The gateway's margin
 * (`SUBGRAPH_DEADLINE_MARGIN_MS`) covers the rest: network, clock skew, a slow fsync.
 */
export const COMMIT_RESERVE_MS = 20;

/** How long after the deadline PostgreSQL ends a transaction left idle (its client stalled or died). */
export const IDLE_GRACE_MS = 1_000;

/** Runs `fn` (a whole request) under a budget. */
export function withinBudget<T>(budget: RequestBudget, fn: () => Promise<T>): Promise<T> {
  return storage.run(budget, fn);
}

/** The running request's budget, if any. */
export function currentBudget(): RequestBudget | undefined {
  return storage.getStore();
}

/** Milliseconds left before the running request's deadline (Infinity outside requests). */
export function timeLeftMs(now = Date.now()): number {
  const budget = storage.getStore();
  if (!budget) return Number.POSITIVE_INFINITY;
  if (budget.aborted) return 0;
  return budget.deadline - now;
}

/**
 * Bounds how long the transaction `tx` may idle holding its locks (a process that dies mid-way
 * lets go of them), unless it runs under a request's deadline, which bounds it already.
 */
export async function limitIdleInTransaction(
  tx: { execute(sql: string): Promise<unknown> },
  ms: number,
): Promise<void> {
  if (storage.getStore()) return;
  await tx.execute(`set local idle_in_transaction_session_timeout = '${Math.floor(ms)}ms'`);
}

/** The request's deadline passed (or its caller left) before the work could be done: nothing was. */
export class DeadlineExceeded extends DomainError {
  constructor() {
    super(
      'SERVICE_UNAVAILABLE',
      {
        it: "Tempo scaduto: l'operazione non è stata eseguita. Riprova.",
        en: 'Out of time: the operation was not carried out. Try again.',
      },
      { retryAfterSeconds: 1 },
    );
  }
}

/** Throws `DeadlineExceeded` when less than `reserveMs` is left. */
export function assertTimeLeft(reserveMs = 0): void {
  if (timeLeftMs() <= reserveMs) throw new DeadlineExceeded();
}

/** A timeout for PostgreSQL settings: whole milliseconds, at least 1. */
function pgMillis(ms: number): string {
  return String(Math.max(1, Math.floor(ms)));
}

/** The running request's limits for a transaction (`set_config` of each), or undefined outside requests. */
function deadlineSettingsSql(): string | undefined {
  const left = timeLeftMs();
  if (!Number.isFinite(left)) return undefined;
  // Every statement and lock wait of the transaction ends by the deadline. It never idles long
  // past it holding locks either: a process that stalls or dies mid-transaction lets go of them
  // a second after the deadline (a live one meets the commit guard first). Whole numbers only:
  // the text is sent as is.
  const ms = pgMillis(left - COMMIT_RESERVE_MS);
  const idle = pgMillis(left + IDLE_GRACE_MS);
  return `select set_config('statement_timeout', '${ms}', true), set_config('lock_timeout', '${ms}', true), set_config('idle_in_transaction_session_timeout', '${idle}', true)`;
}

/** Connections whose transaction's BEGIN carried the deadline's limits (see `limitsWithBegin`). */
const limitedAtBegin = new WeakSet<object>();

/** What `limitsWithBegin` needs of knex's client and of its transactions. */
interface KnexTransactionLike {
  isolationLevel?: unknown;
  readOnly?: unknown;
  begin: (this: KnexTransactionLike, connection: object) => Promise<unknown>;
  query: (this: KnexTransactionLike, connection: object, sql: string) => Promise<unknown>;
}
interface KnexClientLike {
  transaction: (this: KnexClientLike, ...args: unknown[]) => KnexTransactionLike;
}

/**
 * Sends the deadline's limits of each root transaction of the ORM's knex `client` with its BEGIN,
 * in one simple query (`BEGIN; select set_config(…)`): one round trip less per transaction on
 * every request (opening day: two of a citizen's thirteen statements). `DeadlineSubscriber` sets
 * them itself on a transaction that did not (another client, an isolation level, a read-only
 * transaction). Savepoints go through the transaction's own client: untouched.
 */
export function limitsWithBegin(client: KnexClientLike): void {
  const create = client.transaction;
  client.transaction = function (this: KnexClientLike, ...args: unknown[]) {
    const trx = create.apply(this, args);
    const begin = trx.begin;
    trx.begin = function (this: KnexTransactionLike, connection: object) {
      const limits = deadlineSettingsSql();
      if (!limits || this.isolationLevel || this.readOnly) {
        limitedAtBegin.delete(connection); // (left by a BEGIN that failed)
        return begin.call(this, connection);
      }
      limitedAtBegin.add(connection);
      return this.query(connection, `BEGIN; ${limits};`);
    };
    return trx;
  };
}

/**
 * Applies the running request's deadline to every transaction of an ORM (see the module's doc).
 * Savepoints (nested transactions) are left alone: their root transaction is guarded.
 */
export class DeadlineSubscriber implements EventSubscriber {
  // eslint-disable-next-line @typescript-eslint/require-await
  async beforeTransactionStart(): Promise<void> {
    // Thrown before a connection is taken: nothing to roll back.
    assertTimeLeft(COMMIT_RESERVE_MS);
  }

  async afterTransactionStart(args: TransactionEventArgs): Promise<void> {
    if (!Number.isFinite(timeLeftMs())) return;
    const trx = args.transaction as {
      raw(sql: string): Promise<unknown>;
      client: { acquireConnection(): Promise<object> };
    };
    // Sent with the BEGIN already (limitsWithBegin)? The transaction's own connection says.
    if (limitedAtBegin.delete(await trx.client.acquireConnection())) return;
    // Throwing here would leave the transaction open: the commit guard below refuses it instead.
    const limits = deadlineSettingsSql();
    if (limits) await trx.raw(limits);
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async beforeTransactionCommit(): Promise<void> {
    // Throwing makes MikroORM roll the transaction back and rethrow.
    assertTimeLeft(COMMIT_RESERVE_MS);
  }
}

/** Refused at once: the subgraph has more work queued than it can finish in time. */
export class Overloaded extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Overloaded');
    this.name = 'Overloaded';
  }
}

export interface AdmissionSettings {
  /** Requests executed at once; more wait in the queue. */
  maxInFlight: number;
  /** Requests waiting at most; more are refused at once. */
  maxQueued: number;
}

interface Waiter {
  deadline: number;
  admit: () => void;
  refuse: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * A subgraph's admission control: at most `maxInFlight` requests run, the rest wait in a FIFO
 * queue. A waiting request is dropped when its deadline comes (it never starts); a request is
 * refused at once when the queue is full or when the expected wait (queue length × the recent
 * time per request ÷ `maxInFlight`) is longer than its time left: fast refusals with a retry
 * hint instead of work finished after the caller has gone.
 */
export class Admission {
  private running = 0;
  private readonly queue: Waiter[] = [];
  /** Moving average of a request's time, in ms. */
  private averageMs = 5;

  constructor(private readonly settings: AdmissionSettings) {}

  /** Requests running now and waiting now. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  /** Waits for a slot; resolves to the release function, or rejects with Overloaded. */
  async enter(deadline: number | undefined, now = Date.now()): Promise<() => void> {
    const left = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - now;
    if (left <= COMMIT_RESERVE_MS) throw new Overloaded(1);
    if (this.running < this.settings.maxInFlight && this.queue.length === 0) {
      this.running++;
      return this.releaser(now);
    }
    const expectedWait =
      ((this.queue.length + 1) * this.averageMs) / Math.max(1, this.settings.maxInFlight);
    if (this.queue.length >= this.settings.maxQueued || expectedWait + this.averageMs > left) {
      throw new Overloaded(Math.max(1, Math.ceil(expectedWait / 1000)));
    }
    await new Promise<void>((admit, refuse) => {
      const waiter: Waiter = { deadline: now + left, admit, refuse, timer: undefined };
      if (Number.isFinite(left)) {
        waiter.timer = setTimeout(() => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          refuse(new Overloaded(1));
        }, left - COMMIT_RESERVE_MS);
        waiter.timer.unref();
      }
      this.queue.push(waiter);
    });
    return this.releaser(Date.now());
  }

  private releaser(started: number): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const took = Date.now() - started;
      this.averageMs = this.averageMs * 0.9 + took * 0.1;
      const next = this.queue.shift();
      if (next) {
        // The slot passes to the next waiter: `running` stays the same.
        if (next.timer) clearTimeout(next.timer);
        next.admit();
      } else {
        this.running--;
      }
    };
  }
}
