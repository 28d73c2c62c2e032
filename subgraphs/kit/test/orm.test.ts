import 'reflect-metadata';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm, type MikroORM } from '../src/orm.js';
import { createTestDatabase } from '../src/testing.js';

@Entity({ tableName: 'widget' })
class Widget {
  @PrimaryKey()
  id!: number;

  @Property()
  name!: string;
}

class CreateWidget extends Migration {
  override up(): void {
    this.addSql(
      'create table "kit_test"."widget" ("id" serial primary key, "name" text not null);',
    );
  }
}

describe('openOrm', () => {
  let url: string;
  let orm: MikroORM;

  beforeAll(async () => {
    url = await createTestDatabase(inject('postgresServerUrl'), 'kit_orm');
    orm = await openOrm(
      {
        clientUrl: url,
        schema: 'kit_test',
        entities: [Widget],
        migrations: [{ name: 'Migration20260101000000', class: CreateWidget }],
      },
      { migrate: true },
    );
  });
  afterAll(async () => {
    await orm.close();
  });

  it('sets every connection so that a dead client lets go of its locks', async () => {
    const [settings] = await orm.em.fork().execute<{ idle: string; check: string }[]>(
      `select current_setting('idle_in_transaction_session_timeout') as idle,
                current_setting('client_connection_check_interval') as check`,
    );
    expect(settings).toEqual({ idle: '0', check: '1s' });
    // A transaction that bounds its idle time (as the card payment does) is ended by the server
    // when it idles longer: the client's next query fails.
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await tx.execute('select 1');
        await tx.execute(`set local idle_in_transaction_session_timeout = '200ms'`);
        await new Promise((resolve) => setTimeout(resolve, 600));
        await tx.execute('select 1');
      }),
    ).rejects.toThrow();
  });

  it('keeps the tables and the migration log in the subgraph schema', async () => {
    const em = orm.em.fork();
    em.create(Widget, { name: 'one' });
    await em.flush();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query<{ table_schema: string; table_name: string }>(
        "select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog','information_schema') order by 2",
      );
      expect(tables.rows).toEqual([
        { table_schema: 'kit_test', table_name: 'mikro_orm_migrations' },
        { table_schema: 'kit_test', table_name: 'widget' },
      ]);
    } finally {
      await client.end();
    }
  });

  it('applies migrations once', async () => {
    await orm.getMigrator().up();
    const executed = await orm.getMigrator().getExecutedMigrations();
    expect(executed.map((m) => m.name)).toEqual(['Migration20260101000000']);
  });
});
