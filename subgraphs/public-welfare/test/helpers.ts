import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Caller, PersonCaller } from '@welfare/kit';
import { createSuite, staff, type Suite as KitSuite } from '@welfare/kit/test-suite';
import { DB_SCHEMA } from '../src/entities.js';
import type { ImportKind } from '../src/modules/shared/enums.js';
import { publicWelfareOrmSettings } from '../src/orm.js';
import { buildPublicWelfareSchema } from '../src/schema.js';
import { createServices, type ServiceSettings, type Services } from '../src/services.js';

export {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  SERVICE,
  caught,
  errorCode,
  staff,
} from '@welfare/kit/test-suite';

/** Two Comuni: A (the one under test) and B (another tenant). */
export const COMUNE_A = '0b7c2d1e-0000-4000-8000-00000000a001';
export const COMUNE_B = '0b7c2d1e-0000-4000-8000-00000000b002';

/** A cooperative's admin whose organisation id happens to be Comune A's (a non-staff role). */
export const COOP_ADMIN: PersonCaller = {
  ...staff(COMUNE_A),
  memberships: [{ organisationId: COMUNE_A, organisationKind: 'COOPERATIVE', role: 'ADMIN' }],
};

/** Lines of a CSV file in the Italian Excel dialect: BOM, CRLF. */
export function csv(lines: string[]): string {
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export const REGISTRY_HEADER =
  'codice_famiglia;codice_fiscale;cognome;nome;data_nascita;sesso;relazione;indirizzo;residente;disabilita';
export const INCOME_HEADER =
  'codice_fiscale_dichiarante;isee;tipo_isee;data_validita;sostegno_pubblico';

export interface Suite extends Omit<KitSuite<Services>, 'count'> {
  /** Imports CSV text to the end, as `caller`. */
  importText(
    caller: Caller,
    comuneId: string,
    kind: ImportKind,
    text: string,
  ): ReturnType<Services['imports']['importFile']>;
  /** Rows in a table of the public_welfare schema, optionally of one Comune. */
  count(table: string, comuneId?: string): Promise<number>;
}

/** A fresh database (migrated) for one suite, with the services and the schema. */
export async function setupSuite(
  prefix: string,
  settings: Partial<ServiceSettings> = {},
): Promise<Suite> {
  const suite = await createSuite({
    prefix: `public_welfare_${prefix}`,
    dbSchema: DB_SCHEMA,
    ormSettings: publicWelfareOrmSettings,
    services: () => createServices({ piiKey: randomBytes(32), ...settings }),
    buildSchema: buildPublicWelfareSchema,
  });
  const { orm, services } = suite;
  return {
    ...suite,
    importText: (caller, comuneId, kind, text) =>
      services.imports.importFile(orm.em.fork(), caller, comuneId, kind, Readable.from([text])),
    count: (table, comuneId) => suite.count(table, comuneId ? { comune_id: comuneId } : {}),
  };
}

/**
 * Waits (up to ~4 s) until `n` backends of the suite's database wait on a lock, or `settled()`:
 * a race test's paused side is then known to be parked behind the lock the test holds.
 */
export async function lockWaiters(
  suite: Pick<Suite, 'sql'>,
  n: number,
  settled: () => boolean,
): Promise<void> {
  for (let i = 0; i < 200 && !settled(); i++) {
    const [row] = await suite.sql<{ n: string }>(
      `select count(*)::text as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (Number(row!.n) >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
