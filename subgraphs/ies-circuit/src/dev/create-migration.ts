import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMigration } from '@welfare/kit/dev';
import { DB_SCHEMA } from '../entities.js';
import { iesCircuitOrmSettings } from '../orm.js';

// `npm run migration:create -w @welfare/ies-circuit -- --name what`: see the kit's createMigration.
process.exitCode = await createMigration({
  name: 'ies-circuit',
  dbSchema: DB_SCHEMA,
  ormSettings: (url) => iesCircuitOrmSettings(url),
  packageDir: join(dirname(fileURLToPath(import.meta.url)), '..', '..'),
  args: process.argv.slice(2),
});
