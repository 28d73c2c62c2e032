import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openOrm, type Caller } from '@welfare/kit';
import { createTestDatabase } from '@welfare/kit/testing';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { inject } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import type { OidcSettings } from '../src/modules/auth/citizen-oidc.js';
import { identityOrmSettings } from '../src/orm.js';
import { buildIdentitySchema } from '../src/schema.js';
import { createServices, type Services } from '../src/services.js';

export const ANONYMOUS: Caller = { kind: 'anonymous' };

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
  /** Logs in with a password and returns the caller the gateway would get for the session. */
  callerFor(email: string, password?: string): Promise<Caller & { kind: 'person' }>;
  /** Rows in a table of the identity schema. */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

/** A fresh database (migrated) for one suite, with the services and the schema. */
export async function setupSuite(
  prefix: string,
  options: { oidc?: OidcSettings } = {},
): Promise<Suite> {
  const url = await createTestDatabase(inject('postgresServerUrl'), `identity_${prefix}`);
  const orm = await openOrm(identityOrmSettings(url, 5), { migrate: true });
  const services = createServices({
    piiKey: randomBytes(32),
    sessionTtlHours: 12,
    oidc: options.oidc,
  });
  const schema = await buildIdentitySchema(services);
  const suite: Suite = {
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
    callerFor: async (email, password = DEMO_PASSWORD) => {
      const result = await services.auth.login(orm.em.fork(), ANONYMOUS, { email, password });
      const caller = await services.sessions.resolve(orm.em.fork(), result.token);
      if (caller.kind !== 'person') throw new Error('login did not give a person');
      return caller;
    },
    count: async (table) => {
      if (!/^[a-z_]+$/.test(table)) throw new Error('bad table');
      const rows = await orm.em
        .getConnection()
        .execute<{ n: string }[]>(`select count(*) as n from "identity"."${table}"`);
      return Number(rows[0]?.n ?? 0);
    },
    close: () => orm.close(),
  };
  return suite;
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
  retryAfterSeconds?: number;
  localized: { it: string; en: string };
}> {
  try {
    await fn();
  } catch (err) {
    return err as never;
  }
  throw new Error('expected an error');
}
