import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, DEMO_PASSWORD, demoEmail, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
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
      'corporate-welfare',
      'identity',
      'ies-circuit',
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

  it('runs the fake Stripe beside payments, both holding the run’s secrets', async () => {
    const stripe = platform.urls.stripe!;
    expect(await answers(`${stripe}/healthz`)).toBe(true);
    // A provider's admin starts the onboarding through the gateway: payments calls the fake with
    // the run's API key; the fake's signed event reaches payments' webhook without a gateway token.
    const session = await login(
      platform.urls.gateway,
      staffEmail('laEsse', 'ADMIN'),
      DEMO_PASSWORD,
    );
    const organisationId = DEMO_ORG.laEsse;
    const started = await gql<{ startPaymentOnboarding: { url: string } }>(
      platform.urls.gateway,
      `mutation ($organisationId: ID!) { startPaymentOnboarding(organisationId: $organisationId) { url } }`,
      { organisationId },
      { token: session.token },
    );
    expect(started.errors).toBeUndefined();
    const url = started.data!.startPaymentOnboarding.url;
    expect(url.startsWith(`${stripe}/connect/onboarding/`)).toBe(true);
    expect((await fetch(url, { method: 'POST', redirect: 'manual' })).status).toBe(303);
    // The fake's event is accepted by payments (a 200 only follows a verified signature).
    const deadline = Date.now() + 10_000;
    for (;;) {
      const events = (await (await fetch(`${stripe}/__fake/objects/events`)).json()) as {
        deliveries: { status: number }[];
      };
      if (events.deliveries.some((d) => d.status === 200)) break;
      expect(Date.now(), JSON.stringify(events.deliveries)).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const read = await gql<{ paymentAccount: { chargesEnabled: boolean } | null }>(
      platform.urls.gateway,
      `query ($organisationId: ID!) { paymentAccount(organisationId: $organisationId) { chargesEnabled } }`,
      { organisationId },
      { token: session.token },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data?.paymentAccount?.chargesEnabled).toBe(true);
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
