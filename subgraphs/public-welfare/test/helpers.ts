import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openOrm, type Caller, type PersonCaller, type Role } from '@welfare/kit';
import { createTestDatabase } from '@welfare/kit/testing';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { inject } from 'vitest';
import type { ImportKind } from '../src/modules/shared/enums.js';
import { publicWelfareOrmSettings } from '../src/orm.js';
import { buildPublicWelfareSchema } from '../src/schema.js';
import { createServices, type Services } from '../src/services.js';

export const ANONYMOUS: Caller = { kind: 'anonymous' };

/** Two Comuni: A (the one under test) and B (another tenant). */
export const COMUNE_A = '0b7c2d1e-0000-4000-8000-00000000a001';
export const COMUNE_B = '0b7c2d1e-0000-4000-8000-00000000b002';

/** A person caller as the gateway would send it, with one ACTIVE membership. */
export function staff(comuneId: string, role: Role = 'OPERATOR'): PersonCaller {
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: false,
    memberships: [{ organisationId: comuneId, organisationKind: 'COMUNE', role }],
  };
}

export const ADMIN: PersonCaller = {
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: true,
  memberships: [],
};

/** A citizen: a person with no membership. */
export const CITIZEN: PersonCaller = { ...staff(COMUNE_A), memberships: [] };

/** A cooperative's admin whose organisation id happens to be Comune A's (a non-staff role). */
export const COOP_ADMIN: PersonCaller = {
  ...staff(COMUNE_A),
  memberships: [{ organisationId: COMUNE_A, organisationKind: 'COOPERATIVE', role: 'ADMIN' }],
};

export const SERVICE: Caller = { kind: 'service', service: 'gateway' };

/** Lines of a CSV file in the Italian Excel dialect: BOM, CRLF. */
export function csv(lines: string[]): string {
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export const REGISTRY_HEADER =
  'codice_famiglia;codice_fiscale;cognome;nome;data_nascita;sesso;relazione;indirizzo;residente;disabilita';
export const INCOME_HEADER =
  'codice_fiscale_dichiarante;isee;tipo_isee;data_validita;sostegno_pubblico';

export interface Suite {
  orm: MikroORM;
  services: Services;
  schema: GraphQLSchema;
  /** Runs an operation against the built federated schema, as the gateway would for `caller`. */
  run<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: Caller,
  ): Promise<ExecutionResult<T>>;
  /** Imports CSV text to the end, as `caller`. */
  importText(
    caller: Caller,
    comuneId: string,
    kind: ImportKind,
    text: string,
  ): ReturnType<Services['imports']['importFile']>;
  /** Rows in a table of the public_welfare schema, optionally of one Comune. */
  count(table: string, comuneId?: string): Promise<number>;
  close(): Promise<void>;
}

/** A fresh database (migrated) for one suite, with the services and the schema. */
export async function setupSuite(prefix: string): Promise<Suite> {
  const url = await createTestDatabase(inject('postgresServerUrl'), `public_welfare_${prefix}`);
  const orm = await openOrm(publicWelfareOrmSettings(url, 5), { migrate: true });
  const services = createServices({ piiKey: randomBytes(32) });
  const schema = await buildPublicWelfareSchema(services);
  return {
    orm,
    services,
    schema,
    run: async <T>(
      query: string,
      variables?: Record<string, unknown>,
      caller: Caller = ANONYMOUS,
    ) =>
      (await execute({
        schema,
        document: parse(query),
        variableValues: variables,
        contextValue: { em: orm.em.fork(), caller, requestId: randomUUID() },
      })) as ExecutionResult<T>,
    importText: (caller, comuneId, kind, text) =>
      services.imports.importFile(orm.em.fork(), caller, comuneId, kind, Readable.from([text])),
    count: async (table, comuneId) => {
      if (!/^[a-z_]+$/.test(table)) throw new Error('bad table');
      const rows = await orm.em
        .getConnection()
        .execute<{ n: string }[]>(
          `select count(*) as n from "public_welfare"."${table}"${comuneId ? ' where comune_id = ?' : ''}`,
          comuneId ? [comuneId] : [],
        );
      return Number(rows[0]?.n ?? 0);
    },
    close: () => orm.close(),
  };
}

/** The error code of the first GraphQL error (formatted like the subgraph does). */
export function errorCode(result: ExecutionResult): unknown {
  const original = result.errors?.[0]?.originalError as { code?: unknown } | undefined;
  return original?.code;
}

/** Runs `fn` and returns the DomainError-like object it throws. */
export async function caught(fn: () => Promise<unknown>): Promise<{
  code: string;
  fields: { field: string; message: { it: string; en: string } }[];
}> {
  try {
    await fn();
  } catch (err) {
    return err as never;
  }
  throw new Error('expected an error');
}
