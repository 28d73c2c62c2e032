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
