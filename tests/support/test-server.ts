import pg from 'pg';

/**
 * The durability settings a throwaway test server does without: no fsync, commits that do not
 * wait for their WAL to reach the disk, no full-page images. What a client sees is the same (a
 * committed row is read back at once, locks and isolation are unchanged); only an operating-system
 * crash could lose data, and the server's data folder is deleted at the end of the run anyway.
 * Every commit and every database copy (`CREATE DATABASE … TEMPLATE`) stops waiting on the disk,
 * which five test runs share on this machine: about a third of each commit's time.
 * tests/bin/test-all.mjs sets the same on the server of `npm test`. Never for a DATABASE_URL
 * given from outside: that server is not the run's to reconfigure.
 */
export const THROWAWAY_SERVER_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
} as const;

/** Applies THROWAWAY_SERVER_SETTINGS to the run's own embedded server (a reload, no restart). */
export async function relaxDurability(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const [name, value] of Object.entries(THROWAWAY_SERVER_SETTINGS)) {
      await client.query(`alter system set ${name} = '${value}'`);
    }
    await client.query('select pg_reload_conf()');
  } finally {
    await client.end();
  }
}
