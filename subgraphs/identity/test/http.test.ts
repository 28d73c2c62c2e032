import { createLogger } from '@welfare/kit';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import {
  INTERNAL_SESSION_ROUTE,
  internalSessionRoute,
} from '../src/modules/session/session.route.js';
import { buildIdentitySchema } from '../src/schema.js';
import { ANONYMOUS, setupSuite, type Suite } from './helpers.js';

let suite: Suite;
let server: RunningSubgraph;
let sign: Awaited<ReturnType<typeof createTokenSigner>>;
let forge: Awaited<ReturnType<typeof createTokenSigner>>;
const GATEWAY = { kind: 'service', service: 'gateway' } as const;

beforeAll(async () => {
  suite = await setupSuite('http');
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
  const keys = await generateGatewayKeys();
  sign = await createTokenSigner(keys.privateKey);
  forge = await createTokenSigner((await generateGatewayKeys()).privateKey);
  server = await startSubgraph({
    name: 'identity',
    schema: await buildIdentitySchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.publicKey,
    logger: createLogger('identity-test', 'silent'),
    routes: {
      [INTERNAL_SESSION_ROUTE]: internalSessionRoute({
        orm: suite.orm,
        sessions: suite.services.sessions,
      }),
    },
  });
});
afterAll(async () => {
  await server.stop(); // also closes the ORM
});

const graphql = (token?: string, query = '{ viewer { platformAdmin } }') =>
  fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });

const internal = (token: string | undefined, body: unknown) =>
  fetch(`${server.url}/internal/session`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });

async function expiredToken(audience: string): Promise<string> {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(Date.now() - 10 * 60_000);
    return await sign(audience, ANONYMOUS, 'old-request');
  } finally {
    vi.useRealTimers();
  }
}

describe('the subgraph answers only the gateway', () => {
  it('401 without a token, with a forged, expired or wrong-audience one; 200 with a valid one', async () => {
    expect((await graphql()).status).toBe(401);
    expect((await graphql('not-a-jwt')).status).toBe(401);
    expect((await graphql(await forge('identity', ANONYMOUS, 'r1'))).status).toBe(401);
    expect((await graphql(await expiredToken('identity'))).status).toBe(401);
    expect((await graphql(await sign('payments', ANONYMOUS, 'r2'))).status).toBe(401);
    const ok = await graphql(await sign('identity', ANONYMOUS, 'r3'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { viewer: null } });
  });

  it('serves /healthz', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('POST /internal/session', () => {
  it('resolves a session token for the gateway, and not after logout', async () => {
    const session = await suite.services.auth.login(suite.orm.em.fork(), ANONYMOUS, {
      email: 'tutor@laesse.demo',
      password: DEMO_PASSWORD,
    });
    const res = await internal(await sign('identity', GATEWAY, 'r4'), {
      tokens: ['unknown', session.token, session.token],
    });
    expect(res.status).toBe(200);
    const { callers } = (await res.json()) as { callers: Record<string, unknown>[] };
    expect(callers).toHaveLength(3);
    const caller = callers[1]!;
    // One batch: answers in the tokens' order, the same session twice, an unknown one anonymous.
    expect(callers[0]).toEqual({ kind: 'anonymous' });
    expect(callers[2]).toEqual(caller);
    expect(caller).toMatchObject({
      kind: 'person',
      personId: session.viewer.person.id,
      platformAdmin: false,
      memberships: [{ organisationKind: 'COOPERATIVE', role: 'TUTOR' }],
    });

    // The session's own caller, through GraphQL, logs out.
    const logout = await graphql(
      await sign('identity', caller as never, 'r5'),
      'mutation { logout }',
    );
    expect(await logout.json()).toEqual({ data: { logout: true } });
    const after = await internal(await sign('identity', GATEWAY, 'r6'), {
      tokens: [session.token],
    });
    expect(await after.json()).toEqual({ callers: [{ kind: 'anonymous' }] });
  });

  it('answers anonymous for an unknown token and 400 for a malformed body', async () => {
    const token = await sign('identity', GATEWAY, 'r7');
    expect(await (await internal(token, { tokens: ['unknown', ''] })).json()).toEqual({
      callers: [{ kind: 'anonymous' }, { kind: 'anonymous' }],
    });
    for (const body of [
      { nope: 1 },
      { token: 'unknown' },
      { tokens: [] },
      { tokens: ['a', 2] },
      { tokens: Array.from({ length: 101 }, () => 'unknown') },
    ]) {
      expect((await internal(await sign('identity', GATEWAY, 'r8'), body)).status).toBe(400);
    }
  });

  it('refuses anyone but the gateway', async () => {
    const body = { tokens: ['x'] };
    expect((await internal(undefined, body)).status).toBe(401);
    expect((await internal(await forge('identity', GATEWAY, 'r9'), body)).status).toBe(401);
    expect((await internal(await sign('identity', ANONYMOUS, 'r10'), body)).status).toBe(401);
    expect(
      (
        await internal(
          await sign('identity', { kind: 'service', service: 'payments' }, 'r11'),
          body,
        )
      ).status,
    ).toBe(401);
    expect((await internal(await sign('payments', GATEWAY, 'r12'), body)).status).toBe(401);
    expect((await internal(await expiredToken('identity'), body)).status).toBe(401);
  });
});
