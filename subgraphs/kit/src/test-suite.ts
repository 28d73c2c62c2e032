import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { inject } from 'vitest';
import {
  ANONYMOUS,
  type Caller,
  type OrganisationKind,
  type PersonCaller,
  type Role,
} from './caller.js';
import type { Localized } from './errors.js';
import { openOrm, type OrmSettings } from './orm.js';
import { createTestDatabase } from './testing.js';

/**
 * What a subgraph's tests share: callers as the gateway would send them, a fresh migrated
 * database per suite with the subgraph's services and schema, and readers of errors. A
 * subgraph's `test/helpers.ts` calls `createSuite` and adds its own fixtures.
 */

export { ANONYMOUS };

/** The gateway calling as itself (internal operations). */
export const SERVICE: Caller = { kind: 'service', service: 'gateway' };

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

/** A Comune's staff member (OPERATOR by default). */
export function staff(comuneId: string, role: Role = 'OPERATOR'): PersonCaller {
  return member(comuneId, 'COMUNE', role);
}

/** A platform admin (a new person each call). */
export function platformAdmin(): PersonCaller {
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: true,
    memberships: [],
  };
}

/** A citizen: a person with no membership (a new person each call). */
export function citizen(): PersonCaller {
  return { ...platformAdmin(), platformAdmin: false };
}

/** A platform admin shared by a test file. */
export const ADMIN: PersonCaller = platformAdmin();

/** A citizen shared by a test file. */
export const CITIZEN: PersonCaller = citizen();

/** One suite's database, services and schema. */
export interface Suite<S> {
  orm: MikroORM;
  services: S;
  schema: GraphQLSchema;
  /** Runs an operation against the built federated schema, as the gateway would for `caller`. */
  run<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: Caller,
  ): Promise<ExecutionResult<T>>;
  /** Rows in a table of the subgraph's schema, optionally where one column equals a value. */
  count(table: string, where?: Record<string, unknown>): Promise<number>;
  /** Runs SQL on the suite's database (`?` placeholders). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface SuiteOptions<S> {
  /** Prefix of the database's name (the subgraph and the test file). */
  prefix: string;
  /** The subgraph's PostgreSQL schema (`public_welfare`, `third_sector`…). */
  dbSchema: string;
  /** The subgraph's ORM settings for a database URL and a pool size. */
  ormSettings: (url: string, poolMax?: number) => OrmSettings;
  services: () => S;
  buildSchema: (services: S) => Promise<GraphQLSchema>;
  /** Connections of the suite's pool (default 5). */
  poolMax?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A fresh database (migrated) for one suite, with the services and the schema. */
export async function createSuite<S>(options: SuiteOptions<S>): Promise<Suite<S>> {
  const url = await createTestDatabase(inject('postgresServerUrl'), options.prefix);
  const orm = await openOrm(options.ormSettings(url, options.poolMax ?? 5), { migrate: true });
  const services = options.services();
  const schema = await options.buildSchema(services);
  const sql = <T>(query: string, params: unknown[] = []) =>
    orm.em.getConnection().execute<T[]>(query, params);
  return {
    orm,
    services,
    schema,
    run: async <T>(query: string, variables?: Record<string, unknown>, caller = ANONYMOUS) =>
      (await execute({
        schema,
        document: parse(query),
        variableValues: variables,
        contextValue: { em: orm.em.fork(), caller, requestId: randomUUID() },
      })) as ExecutionResult<T>,
    count: async (table, where = {}) => {
      const columns = Object.keys(where);
      if (![table, ...columns].every((name) => IDENTIFIER.test(name))) {
        throw new Error('count: not an identifier');
      }
      const filter = columns.length
        ? ` where ${columns.map((column) => `"${column}" = ?`).join(' and ')}`
        : '';
      const rows = await sql<{ n: string }>(
        `select count(*) as n from "${options.dbSchema}"."${table}"${filter}`,
        Object.values(where),
      );
      return Number(rows[0]?.n ?? 0);
    },
    sql,
    close: () => orm.close(),
  };
}

/** A domain error as a test reads it. */
export interface CaughtError {
  code: string;
  fields: { field: string; message: Localized }[];
  localized: Localized;
  retryAfterSeconds?: number;
}

/** The error code of the first GraphQL error (formatted like the subgraph does). */
export function errorCode(result: ExecutionResult): unknown {
  const original = result.errors?.[0]?.originalError as { code?: unknown } | undefined;
  return original?.code;
}

/** The invalid fields of the first error, sorted. */
export function errorFields(result: ExecutionResult): string[] {
  const original = result.errors?.[0]?.originalError as Partial<CaughtError> | undefined;
  return (original?.fields ?? []).map((f) => f.field).sort();
}

/** Runs `fn` and returns the error it throws (fails when it throws none). */
export async function caught(fn: () => Promise<unknown>): Promise<CaughtError> {
  try {
    await fn();
  } catch (err) {
    return err as CaughtError;
  }
  throw new Error('expected an error');
}
