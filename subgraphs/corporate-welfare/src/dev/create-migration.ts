import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMigration } from '@welfare/kit/dev';
import { DB_SCHEMA } from '../entities.js';
import { corporateWelfareOrmSettings } from '../orm.js';

// `npm run migration:create -w @welfare/corporate-welfare -- --name what`: see the kit's createMigration.
process.exitCode = await createMigration({
  name: 'corporate-welfare',
  dbSchema: DB_SCHEMA,
  ormSettings: (url) => corporateWelfareOrmSettings(url),
  packageDir: join(dirname(fileURLToPath(import.meta.url)), '..', '..'),
  args: process.argv.slice(2),
});
