import { createSuite, type Suite as KitSuite } from '@welfare/kit/test-suite';
import { DB_SCHEMA } from '../src/entities.js';
import { thirdSectorOrmSettings } from '../src/orm.js';
import { buildThirdSectorSchema } from '../src/schema.js';
import { createServices, type ServiceSettings, type Services } from '../src/services.js';

export {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  SERVICE,
  errorCode,
  errorFields,
  member,
} from '@welfare/kit/test-suite';

/** Two Comuni: A (the one under test) and B (another tenant). */
export const COMUNE_A = '0b7c2d1e-0000-4000-8000-00000000a001';
export const COMUNE_B = '0b7c2d1e-0000-4000-8000-00000000b002';
/** Three providers: P (under test), Q (another tenant, an association), R. */
export const PROVIDER_P = '0b7c2d1e-0000-4000-8000-00000000c001';
export const PROVIDER_Q = '0b7c2d1e-0000-4000-8000-00000000c002';
export const PROVIDER_R = '0b7c2d1e-0000-4000-8000-00000000c003';

export type Suite = KitSuite<Services>;

/** A fresh database (migrated) for one suite, with the services and the schema. */
export function setupSuite(prefix: string, settings: ServiceSettings = {}): Promise<Suite> {
  return createSuite({
    prefix: `third_sector_${prefix}`,
    dbSchema: DB_SCHEMA,
    ormSettings: thirdSectorOrmSettings,
    poolMax: 12,
    services: () => createServices(settings),
    buildSchema: buildThirdSectorSchema,
  });
}
