import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchTestPlatform, type TestPlatform } from './platform.js';

/**
 * What a test file is told of a shared platform (shared-platform.ts): everything of a
 * `TestPlatform` but the handles on its processes, which live in vitest's main process.
 */
export type SharedPlatformInfo = Pick<TestPlatform, 'urls' | 'databaseUrl' | 'dataDir' | 'keys'>;

/**
 * The run's shared platforms, in vitest's main process (started by global-setup.ts): one per
 * worker slot (`VITEST_POOL_ID`), started when a file of that slot first asks for it
 * (`POST /platform/<slot>`, answered with its SharedPlatformInfo) and stopped at the end of the
 * run. Files of one slot run one after another, so a shared platform serves one file at a time.
 */
export async function hostSharedPlatforms(
  serverUrl: string,
  runId: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const platforms = new Map<string, Promise<TestPlatform>>();
  const server: Server = createServer((request, response) => {
    const slot = /^\/platform\/([A-Za-z0-9_-]{1,40})$/.exec(request.url ?? '')?.[1];
    if (request.method !== 'POST' || !slot) {
      response.writeHead(404).end();
      return;
    }
    let starting = platforms.get(slot);
    if (!starting) {
      // The portal too: e2e and federation files share it (a federation file ignores it).
      starting = launchTestPlatform(serverUrl, runId, { web: true });
      platforms.set(slot, starting);
      // A platform that failed to start is not kept: the next file of the slot tries again.
      starting.catch(() => platforms.delete(slot));
    }
    starting.then(
      (platform) => {
        const info: SharedPlatformInfo = {
          urls: platform.urls,
          databaseUrl: platform.databaseUrl,
          dataDir: platform.dataDir,
          keys: platform.keys,
        };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
      },
      (err: unknown) => {
        response
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`the shared platform did not start: ${String(err)}`);
      },
    );
  });
  // Starting a platform takes seconds, on a loaded machine a minute or more.
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const started = await Promise.allSettled(platforms.values());
      for (const result of started) {
        if (result.status === 'fulfilled') await result.value.close();
      }
    },
  };
}
