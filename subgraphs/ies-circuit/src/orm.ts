import type { OrmSettings } from '@welfare/kit/orm';
import { DB_SCHEMA, entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/** The ORM settings of the ies-circuit subgraph for a database URL. */
export function iesCircuitOrmSettings(clientUrl: string, poolMax?: number): OrmSettings {
  return { clientUrl, schema: DB_SCHEMA, entities, migrations: migrationsList, poolMax };
}
