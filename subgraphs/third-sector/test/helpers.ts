import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  openOrm,
  type Caller,
  type OrganisationKind,
  type PersonCaller,
  type Role,
} from '@welfare/kit';
import { createTestDatabase } from '@welfare/kit/testing';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { inject } from 'vitest';
import { thirdSectorOrmSettings } from '../src/orm.js';
import { buildThirdSectorSchema } from '../src/schema.js';
import { createServices, type ServiceSettings, type Services } from '../src/services.js';

export const ANONYMOUS: Caller = { kind: 'anonymous' };
export const SERVICE: Caller = { kind: 'service', service: 'gateway' };

/** Two Comuni: A (the one under test) and B (another tenant). */
export const COMUNE_A = '0b7c2d1e-0000-4000-8000-00000000a001';
export const COMUNE_B = '0b7c2d1e-0000-4000-8000-00000000b002';
/** Three providers: P (under test), Q (another tenant, an association), R. */
export const PROVIDER_P = '0b7c2d1e-0000-4000-8000-00000000c001';
export const PROVIDER_Q = '0b7c2d1e-0000-4000-8000-00000000c002';
export const PROVIDER_R = '0b7c2d1e-0000-4000-8000-00000000c003';

/** A person caller as the gateway would send it, with one ACTIVE membership. */
export function member(
  organisationId: string,
  organisationKind: OrganisationKind,
  role: Role,
): PersonCaller {
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: false,
    memberships: [{ organisationId, organisationKind, role }],
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
export const CITIZEN: PersonCaller = { ...ADMIN, platformAdmin: false, personId: randomUUID() };

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
  /** Rows in a table of the third_sector schema. */
  count(table: string): Promise<number>;
  /** Runs SQL on the suite's database. */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A fresh database (migrated) for one suite, with the services and the schema. */
export async function setupSuite(prefix: string, settings: ServiceSettings = {}): Promise<Suite> {
  const url = await createTestDatabase(inject('postgresServerUrl'), `third_sector_${prefix}`);
  const orm = await openOrm(thirdSectorOrmSettings(url, 12), { migrate: true });
  const services = createServices(settings);
  const schema = await buildThirdSectorSchema(services);
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
    count: async (table) => {
      if (!/^[a-z_]+$/.test(table)) throw new Error('bad table');
      const rows = await orm.em
        .getConnection()
        .execute<{ n: string }[]>(`select count(*) as n from "third_sector"."${table}"`);
      return Number(rows[0]?.n ?? 0);
    },
    sql: (query, params = []) => orm.em.getConnection().execute(query, params),
    close: () => orm.close(),
  };
}

/** The error code of the first GraphQL error (formatted like the subgraph does). */
export function errorCode(result: ExecutionResult): unknown {
  const original = result.errors?.[0]?.originalError as { code?: unknown } | undefined;
  return original?.code;
}

/** The invalid fields of the first error, sorted. */
export function errorFields(result: ExecutionResult): string[] {
  const original = result.errors?.[0]?.originalError as
    { fields?: { field: string; message: { it: string; en: string } }[] } | undefined;
  return (original?.fields ?? []).map((f) => f.field).sort();
}
