import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { login } from '../support/graphql.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The port of a URL. */
const portOf = (url: string) => Number(new URL(url).port);

/** True when something answers 2xx at `url`. */
async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    (r) => r.ok,
    () => false,
  );
}

describe('the launcher (subgraphs/platform)', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('runs every process on the port it bound itself, and hands the real URLs on', async () => {
    const { urls } = platform;
    const ports = [urls.oidc, urls.gateway, ...Object.values(urls.subgraphs)].map(portOf);
    // Each picked its own port (PORT=0) and reported it: none is the `npm start` default.
    for (const port of ports) expect(port).toBeGreaterThan(0);
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports).not.toContain(4000);
    expect(Object.keys(urls.subgraphs).sort()).toEqual([
      'identity',
      'payments',
      'public-welfare',
      'third-sector',
    ]);
    for (const url of Object.values(urls.subgraphs)) {
      expect(await answers(url.replace(/\/graphql$/, '/healthz')), url).toBe(true);
    }
    // The provider's issuer is the URL the subgraphs were given.
    const discovery = (await (
      await fetch(`${urls.oidc}/.well-known/openid-configuration`)
    ).json()) as { issuer: string };
    expect(discovery.issuer).toBe(urls.oidc);
    // The gateway reaches every subgraph at the URL it was given.
    const session = await login(urls.gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD);
    expect(session.token).toBeTruthy();
  });

  it('restarts a process on the port it had, waiting while another process holds it', async () => {
    const identity = platform.urls.subgraphs.identity!;
    await platform.killService('identity');
    // Another process takes the port for a moment (one picking a free port, say).
    const port = portOf(identity);
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    const restarted = platform.startService('identity');
    // The launcher sees the port busy and tries again; the squatter then lets go.
    const deadline = Date.now() + 60_000;
    while (!platform.output.some((line) => line.includes(`port ${port} busy, retrying`))) {
      expect(Date.now(), platform.output.join('\n')).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    squatter.close();
    await restarted;
    expect(await answers(identity.replace(/\/graphql$/, '/healthz'))).toBe(true);
    // The gateway, which knows it by that URL, logs staff in again.
    const session = await login(
      platform.urls.gateway,
      demoEmail('COMUNE', 'MANAGER'),
      DEMO_PASSWORD,
    );
    expect(session.token).toBeTruthy();
  });

  it('restarts the gateway and the provider at the same URLs', async () => {
    for (const name of ['gateway', 'oidc']) {
      await platform.stopService(name);
      await platform.startService(name);
    }
    expect(await answers(`${platform.urls.oidc}/.well-known/openid-configuration`)).toBe(true);
    const session = await login(platform.urls.gateway, demoEmail('ADMIN'), DEMO_PASSWORD);
    expect(session.token).toBeTruthy();
  });
});
