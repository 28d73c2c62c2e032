import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT, importJWK, type JWK } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const VIEWER = /* GraphQL */ `
  query Viewer {
    viewer {
      platformAdmin
      person {
        id
        givenName
      }
    }
  }
`;

describe('the gateway in front of the identity subgraph', () => {
  let platform: TestPlatform;
  let gateway: string;
  let identity: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = platform.urls.gateway;
    identity = platform.urls.subgraphs.identity ?? '';
  });
  afterAll(async () => {
    await platform?.close();
  });

  async function anyOrganisationId(): Promise<string> {
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      const result = await client.query<{ id: string }>(
        'select id from identity.organisation limit 1',
      );
      return result.rows[0]?.id ?? '';
    } finally {
      await client.end();
    }
  }

  async function count(sql: string): Promise<number> {
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      const result = await client.query<{ n: string }>(sql);
      return Number(result.rows[0]?.n);
    } finally {
      await client.end();
    }
  }

  it('logs staff in and resolves the session on later calls', async () => {
    const session = await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD);
    expect(session.token.length).toBeGreaterThan(20);
    const me = await gql<{ viewer: { person: { id: string } } }>(
      gateway,
      VIEWER,
      {},
      {
        token: session.token,
      },
    );
    expect(me.errors).toBeUndefined();
    expect(me.data?.viewer.person.id).toBe(session.viewer.person.id);

    const anonymous = await gql<{ viewer: null }>(gateway, VIEWER);
    expect(anonymous.data?.viewer).toBeNull();
  });

  it('rotates the session at login and revokes it at logout', async () => {
    const email = demoEmail('COMUNE', 'MANAGER');
    const first = await login(gateway, email, DEMO_PASSWORD);
    const again = await gql<{ login: { token: string } }>(
      gateway,
      `mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }`,
      { e: email, p: DEMO_PASSWORD },
      { token: first.token },
    );
    const second = again.data?.login.token ?? '';
    expect(second).not.toBe(first.token);
    const old = await gql<{ viewer: unknown }>(gateway, VIEWER, {}, { token: first.token });
    expect(old.data?.viewer).toBeNull();

    const out = await gql<{ logout: boolean }>(
      gateway,
      `mutation { logout }`,
      {},
      { token: second },
    );
    expect(out.data?.logout).toBe(true);
    const after = await gql<{ viewer: unknown }>(gateway, VIEWER, {}, { token: second });
    expect(after.data?.viewer).toBeNull();
  });

  describe('subgraphs answer only the gateway', () => {
    const query = JSON.stringify({ query: '{ viewer { platformAdmin } }' });
    const call = (authorization?: string) =>
      fetch(identity, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: query,
      });

    it('refuses a call without a token', async () => {
      expect((await call()).status).toBe(401);
    });

    it('refuses a token signed with another key', async () => {
      const other = await generateGatewayKeys();
      const forge = await createTokenSigner(other.privateKey);
      const token = await forge('identity', { kind: 'service', service: 'gateway' }, 'r-forged');
      expect((await call(`Bearer ${token}`)).status).toBe(401);
    });

    it('refuses a token for another audience', async () => {
      const sign = await createTokenSigner(platform.keys.privateKey);
      const token = await sign('public-welfare', { kind: 'anonymous' }, 'r-aud');
      expect((await call(`Bearer ${token}`)).status).toBe(401);
    });

    it('refuses an expired token', async () => {
      const key = await importJWK(JSON.parse(platform.keys.privateKey) as JWK, 'EdDSA');
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ caller: { kind: 'anonymous' } })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer('welfare-gateway')
        .setAudience('identity')
        .setIssuedAt(now - 300)
        .setExpirationTime(now - 200)
        .sign(key);
      expect((await call(`Bearer ${token}`)).status).toBe(401);
    });

    it('accepts a valid gateway token', async () => {
      const sign = await createTokenSigner(platform.keys.privateKey);
      const token = await sign('identity', { kind: 'anonymous' }, 'r-ok');
      expect((await call(`Bearer ${token}`)).status).toBe(200);
    });
  });

  it('drops identity headers sent by the client', async () => {
    const admin = await login(gateway, demoEmail('ADMIN'), DEMO_PASSWORD);
    const sign = await createTokenSigner(platform.keys.privateKey);
    const smuggled = await sign(
      'identity',
      {
        kind: 'person',
        personId: admin.viewer.person.id,
        sessionId: 'smuggled',
        platformAdmin: true,
        memberships: [],
      },
      'r-smuggle',
    );
    const response = await gql<{ viewer: null }>(
      gateway,
      VIEWER,
      {},
      {
        headers: {
          'x-caller': JSON.stringify({ kind: 'person', personId: admin.viewer.person.id }),
          'x-user-id': admin.viewer.person.id,
          'x-gateway-token': smuggled,
          cookie: `session=${admin.token}`,
        },
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.viewer).toBeNull();

    // A gateway token presented as the session is not a session either.
    const asSession = await gql<{ viewer: null }>(gateway, VIEWER, {}, { token: smuggled });
    expect(asSession.data?.viewer ?? null).toBeNull();
  });

  it("shows an organisation's members to its own staff only", async () => {
    const operator = await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD);
    const coop = await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD);
    const comuneId = operator.viewer.memberships[0]?.organisation.id;
    const coopId = coop.viewer.memberships[0]?.organisation.id;
    expect(comuneId && coopId).toBeTruthy();
    const MEMBERS = `query($id: ID!) { organisation(id: $id) { id members { role person { email } } } }`;

    const own = await gql<{ organisation: { members: unknown[] } }>(
      gateway,
      MEMBERS,
      { id: comuneId },
      { token: operator.token },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data?.organisation.members.length).toBeGreaterThanOrEqual(2);

    const other = await gql<{ organisation: { members: unknown[] } | null }>(
      gateway,
      MEMBERS,
      { id: coopId },
      { token: operator.token },
    );
    const leaked = other.data?.organisation?.members ?? [];
    expect(leaked).toEqual([]);
    const memberEmails = JSON.stringify(other.data ?? {});
    expect(memberEmails).not.toContain('laesse');
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const admin = await login(gateway, demoEmail('ADMIN'), DEMO_PASSWORD);
    const before = await count('select count(*) as n from identity.organisation');
    const response = await gql(
      gateway,
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      {
        input: {
          kind: 'COOPERATIVE',
          name: 'Cooperativa Prova',
          taxCode: '12345678901',
          iban: 'IT00X0000000000000000000000',
          email: 'not-an-email',
        },
      },
      { token: admin.token },
    );
    const error = response.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (error?.extensions?.fields ?? []).map((f) => f.field).sort();
    expect(fields).toEqual(['email', 'iban', 'taxCode']);
    for (const field of error?.extensions?.fields ?? []) {
      expect(field.message.it.length).toBeGreaterThan(3);
      expect(field.message.en.length).toBeGreaterThan(3);
    }
    expect(await count('select count(*) as n from identity.organisation')).toBe(before);
  });

  it('throttles a login per client address (from the portal’s X-Forwarded-For), not the owner elsewhere', async () => {
    const email = demoEmail('MERCHANT', 'CASHIER');
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    const LOGIN_AS = `mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }`;
    // Identity's defaults: 5 free failures, then a wait that doubles (1 s, 2 s, 4 s…): wrong
    // passwords until a refusal leaves at least 4 s to wait (waiting out the shorter ones).
    const codes: unknown[] = [];
    let waitLeft = 0;
    for (let i = 0; i < 15 && waitLeft < 4; i += 1) {
      const wrong = await gql(
        gateway,
        LOGIN_AS,
        { e: email, p: `wrong-password-${i}` },
        from('198.51.100.77'),
      );
      const error = wrong.errors?.[0]?.extensions;
      codes.push(error?.code);
      if (error?.code === 'RATE_LIMITED') {
        waitLeft = Number(error.retryAfterSeconds);
        if (waitLeft < 4) await sleep(waitLeft * 1000);
      }
    }
    expect(codes.slice(0, 6)).toEqual(Array(6).fill('UNAUTHENTICATED'));
    expect(waitLeft).toBeGreaterThanOrEqual(4);
    const right = { e: email, p: DEMO_PASSWORD };
    const limited = await gql(gateway, LOGIN_AS, right, from('198.51.100.77'));
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.data?.login ?? null).toBeNull();
    // The owner from another address logs in.
    const owner = await gql<{ login: { token: string } }>(
      gateway,
      LOGIN_AS,
      right,
      from('203.0.113.78'),
    );
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.login.token).toBeTruthy();
  });

  describe('expensive operations are refused before any resolver runs', () => {
    it('refuses 500 aliases (no login attempt is even counted)', async () => {
      const email = demoEmail('EMPLOYER', 'HR');
      const aliases = Array.from(
        { length: 500 },
        (_, i) =>
          `a${i}: login(input: { email: "${email}", password: "wrong-password" }) { token }`,
      ).join('\n');
      const refused = await gql(gateway, `mutation { ${aliases} }`);
      expect(refused.status).toBe(400);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']).toContain(
        refused.errors?.[0]?.extensions?.reason,
      );
      // Had the 500 logins run, the account would now be throttled.
      await expect(login(gateway, email, DEMO_PASSWORD)).resolves.toHaveProperty('token');
    });

    it('refuses a query 30 levels deep', async () => {
      let selection = 'id';
      for (let level = 0; level < 15; level += 1)
        selection = `members { organisation { ${selection} } }`;
      const deep = `query { organisations { ${selection} } }`;
      const refused = await gql(gateway, deep);
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'GRAPHQL_VALIDATION_FAILED',
      });
    });

    it('refuses a body over 1 MB and batched arrays', async () => {
      const huge = await fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ viewer { platformAdmin } }`, pad: 'x'.repeat(1_100_000) }),
      });
      expect(huge.status).toBe(413);
      await huge.text();
      const batch = await fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          { query: '{ viewer { platformAdmin } }' },
          { query: '{ viewer { platformAdmin } }' },
        ]),
      });
      expect(batch.status).toBe(400);
      await batch.text();
    });

    it('refuses a simple cross-site request (CSRF prevention)', async () => {
      const response = await fetch(
        `${gateway}?query=${encodeURIComponent('{ viewer { platformAdmin } }')}`,
      );
      expect(response.status).toBe(400);
    });
  });

  it('masks a database failure: a code and a request id, nothing internal', async () => {
    const admin = await login(gateway, demoEmail('ADMIN'), DEMO_PASSWORD);
    const organisationId =
      admin.viewer.memberships[0]?.organisation.id ?? (await anyOrganisationId());
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      await client.query('alter table identity.organisation rename to organisation_moved');
      const response = await gql(gateway, `query($id: ID!) { organisation(id: $id) { id name } }`, {
        id: organisationId,
      });
      const error = response.errors?.[0];
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.extensions?.requestId).toMatch(/^[A-Za-z0-9-]{8,}$/);
      expect(response.headers.get('x-request-id')).toBe(error?.extensions?.requestId);
      const body = JSON.stringify(response.errors);
      expect(body).not.toMatch(/organisation_moved|relation|select|stack|127\.0\.0\.1|identity\./i);
    } finally {
      await client.query('alter table identity.organisation_moved rename to organisation');
      await client.end();
    }
  });

  it('answers within 2 s with a clear error when a subgraph is down, and recovers', async () => {
    await platform.stopService('identity');
    try {
      const started = Date.now();
      const response = await gql(gateway, `{ organisations { id } }`);

      expect(Date.now() - started).toBeLessThan(2_000);
      expect(response.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(response.errors?.[0]?.extensions?.service).toBe('identity');
    } finally {
      await platform.startService('identity');
    }
    const again = await gql<{ organisations: unknown[] }>(gateway, `{ organisations { id } }`);
    expect(again.errors).toBeUndefined();
  });
});
