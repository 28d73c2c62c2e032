import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openOrm, type OrmSettings } from '../orm.js';
import { ensureDatabase, startEmbeddedPostgres } from '../postgres.js';

export interface CreateMigrationOptions {
  /** The subgraph's name (`third-sector`): names the throwaway folder. */
  name: string;
  /** The subgraph's PostgreSQL schema (`third_sector`): also the database's name. */
  dbSchema: string;
  /** The subgraph's ORM settings for a database URL. */
  ormSettings: (url: string) => OrmSettings;
  /** The subgraph's package folder, where the MikroORM CLI runs. */
  packageDir: string;
  /** Arguments passed on to `mikro-orm migration:create` (e.g. `--name topups`). */
  args?: string[];
}

/**
 * `npm run migration:create -w @welfare/<subgraph>`: starts a throwaway embedded PostgreSQL (or
 * uses DATABASE_URL), applies the existing migrations, then runs the MikroORM CLI
 * `migration:create`, which writes the difference between the entities and the snapshot into the
 * subgraph's src/migrations. Add the new class to src/migrations/index.ts. Returns the CLI's exit
 * status.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  const base = databaseUrl
    ? undefined
    : await mkdtemp(join(tmpdir(), `${options.name}-migration-`));
  const server = base
    ? await startEmbeddedPostgres({ dataDir: join(base, 'data'), persistent: false })
    : undefined;
  try {
    const url = await ensureDatabase(server?.url ?? databaseUrl!, options.dbSchema);
    const orm = await openOrm(options.ormSettings(url), { migrate: false });
    await migrate(orm, options.dbSchema);
    await orm.close();
    const result = spawnSync('npx', ['mikro-orm', 'migration:create', ...(options.args ?? [])], {
      cwd: options.packageDir,
      env: { ...process.env, DATABASE_URL: url },
      stdio: 'inherit',
    });
    return result.status ?? 1;
  } finally {
    await server?.stop();
    if (base) await rm(base, { recursive: true, force: true });
  }
}
