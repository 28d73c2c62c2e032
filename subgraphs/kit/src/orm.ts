import 'reflect-metadata';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import type { MigrationObject } from '@mikro-orm/core';
import { DeadlineSubscriber, limitsWithBegin } from './deadline.js';

export interface OrmSettings {
  /** PostgreSQL connection string. */
  clientUrl: string;
  /** The subgraph's own PostgreSQL schema: its tables live there and nowhere else. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  /** Every migration, in order (explicit, so they run from `dist` and under vitest alike). */
  migrations: MigrationObject[];
  /** Folder of the TypeScript migrations, for `migration:create`. */
  migrationsPath?: string;
  debug?: boolean;
  poolMax?: number;
}

/**
 * Settings of every connection a subgraph opens. When a subgraph process dies in the middle of
 * transactions, PostgreSQL must let go of their locks at once, or the restarted process queues
 * behind them (seen in the payments crash test: backends of the killed process still held card
 * and shop accounts 90 s later, waiting on a lock or idle in transaction).
 * `client_connection_check_interval` (PostgreSQL 14 and later; skipped where unknown): a running
 * query, or a lock wait, notices within a second that its client has gone. Hot transactions also
 * bound their idle time (`set local idle_in_transaction_session_timeout`, see the card payment).
 */
export const SESSION_SETTINGS_SQL = `do $$ begin
  perform set_config('client_connection_check_interval', '1000', false);
exception when undefined_object then null;
end $$;`;

/** The MikroORM configuration of a subgraph: one schema, explicit migrations. */
export function ormConfig(settings: OrmSettings): Options {
  return defineConfig({
    clientUrl: settings.clientUrl,
    schema: settings.schema,
    entities: settings.entities,
    extensions: [Migrator],
    // Every transaction of a request ends by the request's deadline (deadline.ts).
    subscribers: [new DeadlineSubscriber()],
    debug: settings.debug ?? false,
    forceUtcTimezone: true,
    pool: {
      min: 0,
      max: settings.poolMax ?? 10,
      // Each new connection: see SESSION_SETTINGS_SQL.
      afterCreate: (
        connection: { query: (sql: string, done: (err: Error | null) => void) => void },
        done: (err: Error | null, connection: unknown) => void,
      ) => connection.query(SESSION_SETTINGS_SQL, (err) => done(err, connection)),
    },
    discovery: { disableDynamicFileAccess: true, warnWhenNoEntities: false },
    allowGlobalContext: false,
    migrations: {
      migrationsList: settings.migrations,
      path: settings.migrationsPath,
      pathTs: settings.migrationsPath,
      emit: 'ts',
      // Only the CLI config (with a migrations path) keeps a snapshot: at run time `up()` would
      // otherwise write `.snapshot-<database>.json` into ./src/migrations of the working directory.
      snapshot: settings.migrationsPath !== undefined,
      transactional: true,
      silent: true,
      allOrNothing: true,
      tableName: 'mikro_orm_migrations',
    },
  });
}

/** Opens the ORM; with `migrate`, creates the schema when missing and applies pending migrations. */
export async function openOrm(
  settings: OrmSettings,
  options: { migrate: boolean },
): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(settings));
  // Each request's transaction limits travel with its BEGIN (deadline.ts).
  limitsWithBegin(orm.em.getConnection().getKnex().client as never);
  if (options.migrate) await migrate(orm, settings.schema);
  return orm;
}

/** Creates the subgraph's schema when missing and applies every pending migration. */
export async function migrate(orm: MikroORM, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Bad schema name: ${schema}`);
  await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
  await orm.getMigrator().up();
}

export { MikroORM };
