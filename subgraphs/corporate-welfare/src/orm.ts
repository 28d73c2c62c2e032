import type { OrmSettings } from '@welfare/kit/orm';
import { DB_SCHEMA, entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/** The ORM settings of the corporate-welfare subgraph for a database URL. */
export function corporateWelfareOrmSettings(clientUrl: string, poolMax?: number): OrmSettings {
  return { clientUrl, schema: DB_SCHEMA, entities, migrations: migrationsList, poolMax };
}
