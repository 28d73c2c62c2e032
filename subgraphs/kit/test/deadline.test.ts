import 'reflect-metadata';
import { IsolationLevel } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { GraphQLError } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  Admission,
  DeadlineExceeded,
  Overloaded,
  currentBudget,
  withinBudget,
  type RequestBudget,
} from '../src/deadline.js';
import { formatError } from '../src/errors.js';
import { openOrm, type MikroORM } from '../src/orm.js';
import { createTestDatabase } from '../src/testing.js';

class CreateNote extends Migration {
  override up(): void {
    this.addSql('create table "kit_deadline"."note" ("id" text primary key);');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const budget = (ms: number): RequestBudget => ({ deadline: Date.now() + ms, aborted: false });

/** The error a client would see. */
function seen(err: unknown) {
  return formatError({ message: 'x' }, new GraphQLError('x', { originalError: err as Error }));
}

describe('deadlines on transactions (DeadlineSubscriber)', () => {
  let url: string;
  let orm: MikroORM;
  const notes = async (id: string) =>
    (
      await orm.em
        .fork()
        .execute<{ n: string }[]>(
          `select count(*)::text as n from kit_deadline.note where id = ?`,
          [id],
        )
    )[0]!.n;

  beforeAll(async () => {
    url = await createTestDatabase(inject('postgresServerUrl'), 'kit_deadline');
    orm = await openOrm(
      {
        clientUrl: url,
        schema: 'kit_deadline',
        entities: [],
        migrations: [{ name: 'Migration20260101000000', class: CreateNote }],
        poolMax: 4,
      },
      { migrate: true },
    );
  });
  afterAll(async () => {
    await orm.close();
  });

  it('rolls back, instead of committing, a transaction still open at its deadline', async () => {
    const run = withinBudget(budget(300), () =>
      orm.em.fork().transactional(async (tx) => {
        await tx.execute(`insert into kit_deadline.note (id) values ('late')`);
        await sleep(400);
      }),
    );
    await expect(run).rejects.toBeInstanceOf(DeadlineExceeded);
    expect(await notes('late')).toBe('0');
    expect(seen(new DeadlineExceeded()).extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: 1,
    });
  });

  it('commits a transaction that ends in time', async () => {
    await withinBudget(budget(2_000), () =>
      orm.em.fork().transactional(async (tx) => {
        await tx.execute(`insert into kit_deadline.note (id) values ('in-time')`);
      }),
    );
    expect(await notes('in-time')).toBe('1');
  });

  it('ends a statement at the deadline (statement_timeout), mapped to SERVICE_UNAVAILABLE', async () => {
    const started = Date.now();
    const error = await withinBudget(budget(300), () =>
      orm.em.fork().transactional(async (tx) => {
        await tx.execute(`insert into kit_deadline.note (id) values ('slow')`);
        await tx.execute(`select pg_sleep(5)`);
      }),
    ).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect((error as { code?: string }).code).toBe('57014');
    expect(seen(error).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(await notes('slow')).toBe('0');
  });

  it('ends a lock wait at the deadline (lock_timeout)', async () => {
    await orm.em.fork().execute(`insert into kit_deadline.note (id) values ('locked')`);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`select * from kit_deadline.note where id = 'locked' for update`);
      const started = Date.now();
      const error = await withinBudget(budget(300), () =>
        orm.em.fork().transactional(async (tx) => {
          await tx.execute(`delete from kit_deadline.note where id = 'locked'`);
        }),
      ).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(['55P03', '57014']).toContain((error as { code?: string }).code);
      expect(seen(error).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    expect(await notes('locked')).toBe('1');
  });

  it('does not begin a transaction after the deadline, nor for a caller who left', async () => {
    await expect(
      withinBudget({ deadline: Date.now() - 1, aborted: false }, () =>
        orm.em.fork().transactional(async (tx) => {
          await tx.execute(`insert into kit_deadline.note (id) values ('never')`);
        }),
      ),
    ).rejects.toBeInstanceOf(DeadlineExceeded);
    const gone = budget(5_000);
    await expect(
      withinBudget(gone, () =>
        orm.em.fork().transactional(async (tx) => {
          await tx.execute(`insert into kit_deadline.note (id) values ('gone')`);
          gone.aborted = true;
        }),
      ),
    ).rejects.toBeInstanceOf(DeadlineExceeded);
    expect(await notes('never')).toBe('0');
    expect(await notes('gone')).toBe('0');
    // No connection was left behind: the pool still serves all its connections at once.
    await Promise.all(
      Array.from({ length: 4 }, () =>
        orm.em.fork().transactional((tx) => tx.execute('select pg_sleep(0.05)')),
      ),
    );
  });

  it('bounds statements, lock waits and idling by the time left', async () => {
    const [row] = await withinBudget(budget(5_000), () =>
      orm.em.fork().transactional((tx) =>
        tx.execute<{ s: string; l: string; i: string }[]>(
          `select current_setting('statement_timeout') as s, current_setting('lock_timeout') as l,
                    current_setting('idle_in_transaction_session_timeout') as i`,
        ),
      ),
    );
    const ms = (value: string) =>
      value.endsWith('ms') ? Number(value.slice(0, -2)) : Number(value.slice(0, -1)) * 1000;
    for (const value of [row!.s, row!.l]) {
      expect(ms(value), value).toBeGreaterThan(4_000);
      expect(ms(value), value).toBeLessThanOrEqual(5_000);
    }
    // Idling is bounded a grace period after the deadline.
    expect(ms(row!.i), row!.i).toBeGreaterThan(5_000);
    expect(ms(row!.i), row!.i).toBeLessThanOrEqual(6_000);
  });

  it('sends the limits with BEGIN, in the same round trip, and sets them itself otherwise', async () => {
    interface PgClient {
      query: (this: PgClient, ...args: unknown[]) => unknown;
    }
    const pool = orm.em.getConnection().getKnex().client as {
      acquireConnection(): Promise<PgClient>;
      releaseConnection(c: PgClient): Promise<unknown>;
    };
    const connection = await pool.acquireConnection();
    await pool.releaseConnection(connection);
    const prototype = Object.getPrototypeOf(connection) as PgClient;
    const query = prototype.query;
    const sent: string[] = [];
    prototype.query = function (this: PgClient, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      sent.push(typeof first === 'string' ? first : (first.text ?? ''));
      return query.apply(this, args);
    };
    const limitsNow = (options?: { isolationLevel: IsolationLevel }) =>
      withinBudget(budget(5_000), () =>
        orm.em
          .fork()
          .transactional(
            (tx) => tx.execute<{ s: string }[]>(`select current_setting('statement_timeout') as s`),
            options,
          ),
      );
    try {
      const [plain] = await limitsNow();
      expect(sent).toHaveLength(3);
      expect(sent[0]).toMatch(/^BEGIN; select set_config\('statement_timeout', '\d+', true\)/);
      expect(sent[2]).toMatch(/^COMMIT/);
      expect(plain!.s).toMatch(/^[45]\d{3}ms$/);
      // An isolation level: knex's own BEGIN, then the limits as a statement of their own.
      sent.length = 0;
      const [serializable] = await limitsNow({ isolationLevel: IsolationLevel.SERIALIZABLE });
      expect(sent.map((q) => q.slice(0, 20))).toEqual([
        'BEGIN TRANSACTION IS',
        "select set_config('s",
        'select current_setti',
        'COMMIT;',
      ]);
      expect(serializable!.s).toMatch(/^[45]\d{3}ms$/);
    } finally {
      prototype.query = query;
    }
  });

  it('sets no limit outside a request', async () => {
    expect(currentBudget()).toBeUndefined();
    const [row] = await orm.em
      .fork()
      .transactional((tx) =>
        tx.execute<{ s: string; l: string }[]>(
          `select current_setting('statement_timeout') as s, current_setting('lock_timeout') as l`,
        ),
      );
    expect(row).toEqual({ s: '0', l: '0' });
  });
});

describe('admission (load shedding)', () => {
  it('runs at most maxInFlight at once and passes the slot on in order', async () => {
    const admission = new Admission({ maxInFlight: 2, maxQueued: 10 });
    const first = await admission.enter(undefined);
    const second = await admission.enter(undefined);
    const order: number[] = [];
    const third = admission.enter(undefined).then((release) => {
      order.push(3);
      return release;
    });
    const fourth = admission.enter(undefined).then((release) => {
      order.push(4);
      return release;
    });
    await sleep(10);
    expect(order).toEqual([]);
    expect(admission.load).toEqual({ running: 2, queued: 2 });
    first();
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual([3, 4]);
    expect(admission.load).toEqual({ running: 0, queued: 0 });
  });

  it('drops a queued request at its deadline, before it starts', async () => {
    const admission = new Admission({ maxInFlight: 1, maxQueued: 10 });
    const release = await admission.enter(undefined);
    const started = Date.now();
    await expect(admission.enter(Date.now() + 150)).rejects.toBeInstanceOf(Overloaded);
    expect(Date.now() - started).toBeLessThan(400);
    expect(admission.load).toEqual({ running: 1, queued: 0 });
    release();
    expect(admission.load).toEqual({ running: 0, queued: 0 });
  });

  it('refuses at once when the queue is full, or when the wait would outlast the deadline', async () => {
    const admission = new Admission({ maxInFlight: 1, maxQueued: 1 });
    // Teach it that a request takes about 100 ms.
    for (let i = 0; i < 40; i++) {
      const release = await admission.enter(undefined, Date.now() - 100);
      release();
    }
    const running = await admission.enter(undefined);
    const t0 = Date.now();
    // 50 ms left, about 200 ms to wait and run: refused now, not at the deadline.
    const refused = await admission.enter(Date.now() + 50).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Overloaded);
    expect(Date.now() - t0).toBeLessThan(20);
    const queued = admission.enter(Date.now() + 5_000);
    // The queue (1) is full now.
    await expect(admission.enter(Date.now() + 5_000)).rejects.toBeInstanceOf(Overloaded);
    running();
    (await queued)();
    // Already past its deadline: refused at the door.
    await expect(admission.enter(Date.now() - 1)).rejects.toBeInstanceOf(Overloaded);
  });
});
