import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ormConfig } from '@welfare/kit/orm';
import { DB_SCHEMA, entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

// For the MikroORM CLI only (`npm run migration:create`, from dist): reads DATABASE_URL.
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required to run the MikroORM CLI');

export default ormConfig({
  clientUrl: url,
  schema: DB_SCHEMA,
  entities,
  migrations: migrationsList,
  // dist/mikro-orm.config.js -> src/migrations (the CLI writes TypeScript migrations there).
  migrationsPath: join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'migrations'),
});
