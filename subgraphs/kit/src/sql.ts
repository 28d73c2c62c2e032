import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** What this module needs of a node-postgres client. */
interface PgClient {
  query(config: {
    name: string;
    text: string;
    values: readonly unknown[];
  }): Promise<{ rows: unknown[] }>;
}

/** What this module needs of knex's client (the ORM's connection pool). */
interface KnexClient {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<unknown>;
}

/** A statement name per text: the same text is prepared once per connection, whoever runs it. */
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `kit_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs one statement with `$1, $2, …` placeholders as a named prepared statement of node-postgres,
 * on the connection of `em`'s transaction (or, outside one, on a connection of the ORM's pool for
 * that statement alone). PostgreSQL parses each text once per connection and may keep its plan,
 * and the values travel as parameters instead of being formatted into the text: on this machine a
 * statement costs about a third of the CPU of `em.execute` (0.08 ms against 0.24 ms, measured over
 * 5,000 locked reads). For hot paths, with texts that do not change from call to call (a text
 * built from input would prepare a statement per variant). Rows come back as from `em.execute`
 * (the same driver and type parsers); errors are PostgreSQL's own, with the SQLSTATE in `code`.
 */
export async function sql<T>(
  em: EntityManager,
  text: string,
  values: readonly unknown[] = [],
): Promise<T[]> {
  const query = { name: statementName(text), text, values };
  const trx = em.getTransactionContext<{ client: KnexClient }>();
  if (trx) {
    const connection = await trx.client.acquireConnection();
    return (await connection.query(query)).rows as T[];
  }
  const pool = em.getConnection().getKnex().client as KnexClient;
  const connection = await pool.acquireConnection();
  try {
    return (await connection.query(query)).rows as T[];
  } finally {
    await pool.releaseConnection(connection);
  }
}

/** The SQLSTATE of a serialization failure (40001) or a deadlock (40P01): the work may be redone. */
export function isSerializationFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

/**
 * Runs `fn` (a whole transaction: `em.fork().transactional(...)`) again when PostgreSQL aborted it
 * by a serialization failure or a deadlock (SQLSTATE 40001 / 40P01), after a short random pause
 * that grows with each attempt (5·i + 0..10 ms), up to `attempts` runs in all; any other error,
 * or the last attempt's, is thrown as it is.
 */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isSerializationFailure(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10));
    }
  }
}
