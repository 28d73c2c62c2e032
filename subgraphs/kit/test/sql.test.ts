import 'reflect-metadata';
import { Migration } from '@mikro-orm/migrations';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DeadlineExceeded, withinBudget } from '../src/deadline.js';
import { openOrm, type MikroORM } from '../src/orm.js';
import { sql } from '../src/sql.js';
import { createTestDatabase } from '../src/testing.js';

class CreateItem extends Migration {
  override up(): void {
    this.addSql(
      'create table "kit_sql"."item" ("id" int primary key, "amount" bigint not null check ("amount" >= 0), "tags" text[] not null default \'{}\');',
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sql: prepared statements on the ORM connection', () => {
  let orm: MikroORM;
  const count = async () =>
    (await sql<{ n: number }>(orm.em.fork(), 'select count(*)::int as n from kit_sql.item'))[0]!.n;

  beforeAll(async () => {
    const url = await createTestDatabase(inject('postgresServerUrl'), 'kit_sql');
    orm = await openOrm(
      {
        clientUrl: url,
        schema: 'kit_sql',
        entities: [],
        migrations: [{ name: 'Migration20260101000000', class: CreateItem }],
        poolMax: 4,
      },
      { migrate: true },
    );
  });
  afterAll(async () => {
    await orm.close();
  });

  it('binds values as parameters, not text: quotes and arrays arrive as they were', async () => {
    const tricky = `it's'); drop table kit_sql.item; --`;
    const [row] = await sql<{ a: string; b: string[]; c: string }>(
      orm.em.fork(),
      'select $1::text as a, $2::text[] as b, ($3::bigint + 1)::text as c',
      [tricky, ['x', 'y,z'], 41],
    );
    expect(row).toEqual({ a: tricky, b: ['x', 'y,z'], c: '42' });
    expect(await count()).toBe(0);
  });

  it("runs inside the caller's transaction: a rollback undoes its writes", async () => {
    const insert = 'insert into kit_sql.item (id, amount) values ($1, $2)';
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await sql(tx, insert, [1, 100]);
        // The same transaction sees its own row, through the ORM too.
        expect(await tx.execute(`select id from kit_sql.item where id = 1`)).toHaveLength(1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await count()).toBe(0);
    await orm.em.fork().transactional(async (tx) => {
      await sql(tx, insert, [2, 100]);
    });
    expect(await count()).toBe(1);
  });

  it("follows the transaction's deadline (the kit's statement timeout)", async () => {
    const slow = withinBudget({ deadline: Date.now() + 300, aborted: false }, () =>
      orm.em.fork().transactional(async (tx) => {
        await sql(tx, 'select pg_sleep(2)');
      }),
    );
    await expect(slow).rejects.toMatchObject({ code: '57014' });
    await sleep(10);
    const late = withinBudget({ deadline: Date.now() + 100, aborted: false }, () =>
      orm.em.fork().transactional(async (tx) => {
        await sql(tx, 'insert into kit_sql.item (id, amount) values ($1, $2)', [3, 1]);
        await sleep(150);
      }),
    );
    await expect(late).rejects.toBeInstanceOf(DeadlineExceeded);
    expect(await count()).toBe(1);
  });

  it("answers PostgreSQL's error with its SQLSTATE, and the pool's connection stays usable", async () => {
    for (let i = 0; i < 6; i++) {
      await expect(
        sql(orm.em.fork(), 'insert into kit_sql.item (id, amount) values ($1, $2)', [10 + i, -1]),
      ).rejects.toMatchObject({ code: '23514' });
    }
    // More statements than the pool has connections: each was given back.
    const rows = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sql<{ i: number }>(orm.em.fork(), 'select $1::int as i', [i]),
      ),
    );
    expect(rows.map((r) => r[0]!.i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(await count()).toBe(1);
  });
});
