import { createSuite, type Suite } from '@welfare/kit/test-suite';
import { DB_SCHEMA } from '../src/entities.js';
import { iesCircuitOrmSettings } from '../src/orm.js';
import { buildIesCircuitSchema } from '../src/schema.js';
import { createServices, type ServiceSettings, type Services } from '../src/services.js';

export {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  SERVICE,
  caught,
  errorCode,
  errorFields,
  member,
} from '@welfare/kit/test-suite';

/** Two tenants: A (the one under test) and B (another organisation). */
export const ORG_A = '0b7c2d1e-0000-4000-8000-00000000a001';
export const ORG_B = '0b7c2d1e-0000-4000-8000-00000000b002';

/** A fresh database (migrated) for one suite, with the services and the schema. */
export function setupSuite(
  prefix: string,
  settings: ServiceSettings = {},
): Promise<Suite<Services>> {
  return createSuite({
    prefix: `ies_circuit_${prefix}`,
    dbSchema: DB_SCHEMA,
    ormSettings: iesCircuitOrmSettings,
    services: () => createServices(settings),
    buildSchema: buildIesCircuitSchema,
  });
}
