import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMigration } from '@welfare/kit/dev';
import { DB_SCHEMA } from '../entities.js';
import { identityOrmSettings } from '../orm.js';

// `npm run migration:create -w @welfare/identity -- --name what`: see the kit's createMigration.
process.exitCode = await createMigration({
  name: 'identity',
  dbSchema: DB_SCHEMA,
  ormSettings: (url) => identityOrmSettings(url),
  packageDir: join(dirname(fileURLToPath(import.meta.url)), '..', '..'),
  args: process.argv.slice(2),
});
