import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openOrm } from '@welfare/kit';
import { ensureDatabase, startEmbeddedPostgres } from '@welfare/kit/postgres';
import { DB_SCHEMA } from '../entities.js';
import { thirdSectorOrmSettings } from '../orm.js';

/**
 * `npm run migration:create -w @welfare/third-sector`: starts a throwaway embedded PostgreSQL (or
 * uses DATABASE_URL), applies the existing migrations, then runs the MikroORM CLI
 * `migration:create`, which writes the difference between the entities and the snapshot into
 * src/migrations. Add the new class to src/migrations/index.ts.
 */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const base = process.env.DATABASE_URL
  ? undefined
  : await mkdtemp(join(tmpdir(), 'third-sector-migration-'));
const server = base
  ? await startEmbeddedPostgres({ dataDir: join(base, 'data'), persistent: false })
  : undefined;
try {
  const url = await ensureDatabase(server?.url ?? process.env.DATABASE_URL!, 'third_sector');
  const orm = await openOrm(thirdSectorOrmSettings(url), { migrate: false });
  await migrate(orm, DB_SCHEMA);
  await orm.close();
  const result = spawnSync('npx', ['mikro-orm', 'migration:create', ...process.argv.slice(2)], {
    cwd: packageDir,
    env: { ...process.env, DATABASE_URL: url },
    stdio: 'inherit',
  });
  process.exitCode = result.status ?? 1;
} finally {
  await server?.stop();
  if (base) await rm(base, { recursive: true, force: true });
}
