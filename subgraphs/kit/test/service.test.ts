import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { z } from 'zod';
import { createTokenSigner, generateGatewayKeys } from '../src/auth.js';
import { httpRequest } from '../src/client.js';
import { DomainError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { openOrm, type MikroORM } from '../src/orm.js';
import {
  OutcomeUnknown,
  ServiceClient,
  ServiceRefusal,
  createServiceTokenSigner,
  internalRoute,
} from '../src/service.js';
import { servicePublicKeys } from '../src/config.js';
import { startSubgraph, type RunningSubgraph } from '../src/subgraph.js';
import { createTestDatabase } from '../src/testing.js';

class Refused extends DomainError {
  readonly reason = 'INSUFFICIENT_FUNDS';
  constructor() {
    super('CONFLICT', { it: 'Credito insufficiente.', en: 'Insufficient credit.' });
  }
}

describe('service-to-service calls (internal routes)', () => {
  let orm: MikroORM;
  let subgraph: RunningSubgraph;
  let keys: Record<string, { privateKey: string; publicKey: string }>;
  let gatewayKeys: { privateKey: string; publicKey: string };
  const calls: string[] = [];

  const client = (service: string, privateKey = keys[service]!.privateKey, timeoutMs?: number) =>
    new ServiceClient({
      service,
      privateKey,
      audience: 'fund-owner',
      baseUrl: subgraph.url,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  const echo = z.object({ service: z.string(), amount: z.number() });

  beforeAll(async () => {
    const url = await createTestDatabase(inject('postgresServerUrl'), 'kit_service');
    orm = await openOrm(
      { clientUrl: url, schema: 'kit_service', entities: [], migrations: [], poolMax: 2 },
      { migrate: false },
    );
    keys = {
      payments: await generateGatewayKeys(),
      identity: await generateGatewayKeys(),
    };
    gatewayKeys = await generateGatewayKeys();
    const input = z.object({ amount: z.number().int().min(1) });
    subgraph = await startSubgraph({
      name: 'fund-owner',
      schema: buildSubgraphSchema({
        typeDefs: parse('type Query { ok: Boolean }'),
        resolvers: { Query: { ok: () => true } },
      }),
      orm,
      host: '127.0.0.1',
      port: 0,
      gatewayPublicKey: gatewayKeys.publicKey,
      logger: createLogger('fund-owner', 'silent'),
      publicRoutes: {
        // A webhook that checks its own caller: here a fixed header stands for a signature.
        'POST /webhooks/test': async (req, res) => {
          const body = await new Promise<string>((resolve) => {
            let text = '';
            req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
            req.on('end', () => resolve(text));
          });
          if (req.headers['x-signature'] !== 'good') {
            res.writeHead(400).end('bad signature');
            return;
          }
          calls.push(`webhook:${body}`);
          res.writeHead(200).end('ok');
        },
      },
      internal: {
        publicKeys: {
          payments: keys.payments!.publicKey,
          identity: keys.identity!.publicKey,
        },
        routes: {
          'POST /internal/echo': internalRoute({
            callers: ['payments'],
            input,
            run: ({ amount }, verified) => {
              calls.push(verified.service);
              return Promise.resolve({ service: verified.service, amount });
            },
          }),
          'POST /internal/refuse': internalRoute({
            callers: ['payments'],
            input,
            run: () => Promise.reject(new Refused()),
          }),
          'POST /internal/slow': internalRoute({
            callers: ['payments'],
            input,
            run: async () => {
              await new Promise((r) => setTimeout(r, 500));
              return { service: 'late', amount: 0 };
            },
          }),
          'POST /internal/broken': internalRoute({
            callers: ['payments'],
            input,
            run: () => Promise.reject(new Error('database exploded at 10.0.0.7')),
          }),
        },
      },
    });
  });
  afterAll(async () => {
    // The slow operation outlives its caller's timeout: let it end, then drop the connection the
    // timed-out call left (the drain would wait for its keep-alive timeout).
    await new Promise((r) => setTimeout(r, 600));
    const stopping = subgraph?.stop();
    subgraph?.server.closeAllConnections();
    await stopping;
  });

  it('answers the named caller with the operation’s result', async () => {
    await expect(client('payments').call('/internal/echo', { amount: 5 }, echo)).resolves.toEqual({
      service: 'payments',
      amount: 5,
    });
  });

  it('refuses a known service that is not among the route’s callers (403)', async () => {
    const before = calls.length;
    const refusal = await client('identity')
      .call('/internal/echo', { amount: 5 }, echo)
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ServiceRefusal);
    expect(refusal).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(calls.length).toBe(before);
  });

  it('refuses a token signed with another key, a gateway token, another audience, no token (401)', async () => {
    const other = await generateGatewayKeys();
    const forged = await client('payments', other.privateKey)
      .call('/internal/echo', { amount: 5 }, echo)
      .catch((e: unknown) => e);
    expect(forged).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });

    const gatewayToken = await (
      await createTokenSigner(gatewayKeys.privateKey)
    )('fund-owner', { kind: 'service', service: 'payments' }, 'r1');
    const elsewhere = createServiceTokenSigner('payments', keys.payments!.privateKey)(
      'public-welfare',
      'r2',
    );
    for (const authorization of [`Bearer ${gatewayToken}`, `Bearer ${elsewhere}`, '', 'Basic x']) {
      const res = await httpRequest(`${subgraph.url}/internal/echo`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: '{"amount":5}',
      });
      expect(res.status).toBe(401);
    }
    expect(calls.every((c) => c === 'payments')).toBe(true);
  });

  it('refuses an expired token (older than its 60 s)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 120_000);
    const old = createServiceTokenSigner('payments', keys.payments!.privateKey)('fund-owner', 'r');
    vi.useRealTimers();
    const res = await httpRequest(`${subgraph.url}/internal/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${old}`, 'content-type': 'application/json' },
      body: '{"amount":5}',
    });
    expect(res.status).toBe(401);
  });

  it('answers bad input with a message per field, and a domain refusal with its reason', async () => {
    const bad = await client('payments')
      .call('/internal/echo', { amount: 'five' }, echo)
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ServiceRefusal);
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect((bad as ServiceRefusal).fields.map((f) => f.field)).toEqual(['amount']);

    const refused = await client('payments')
      .call('/internal/refuse', { amount: 5 }, echo)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      reason: 'INSUFFICIENT_FUNDS',
      localized: { it: 'Credito insufficiente.', en: 'Insufficient credit.' },
    });
  });

  it('calls an outcome unknown on a timeout and on a failure, with no detail from the callee', async () => {
    const late = await client('payments', undefined, 100)
      .call('/internal/slow', { amount: 5 }, echo)
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(OutcomeUnknown);
    const broken = await client('payments')
      .call('/internal/broken', { amount: 5 }, echo)
      .catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(OutcomeUnknown);
    expect(String((broken as Error).message)).not.toContain('10.0.0.7');
  });

  it('serves public routes without any token; they answer for their own caller check', async () => {
    const url = `${subgraph.url}/webhooks/test`;
    const signed = await fetch(url, {
      method: 'POST',
      headers: { 'x-signature': 'good' },
      body: 'event-1',
    });
    expect(signed.status).toBe(200);
    expect(calls).toContain('webhook:event-1');
    const forged = await fetch(url, { method: 'POST', body: 'event-2' });
    expect(forged.status).toBe(400);
    expect(calls).not.toContain('webhook:event-2');
    // Only the route itself is open: GraphQL still wants the gateway's token.
    const graphql = await fetch(`${subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ok }' }),
    });
    expect(graphql.status).toBe(401);
  });

  it('refuses a public route on GraphQL, internal or health paths', async () => {
    for (const key of ['POST /graphql', 'POST /internal/x', 'GET /healthz', 'post /x']) {
      await expect(
        startSubgraph({
          name: 'other',
          schema: buildSubgraphSchema({
            typeDefs: parse('type Query { ok: Boolean }'),
            resolvers: { Query: { ok: () => true } },
          }),
          orm,
          host: '127.0.0.1',
          port: 0,
          gatewayPublicKey: gatewayKeys.publicKey,
          logger: createLogger('other', 'silent'),
          publicRoutes: { [key]: () => Promise.resolve() },
        }),
      ).rejects.toThrow(/Public route not allowed/);
    }
  });

  it('reads SERVICE_PUBLIC_KEYS as an object of keys by service, and refuses anything else', () => {
    const ok = servicePublicKeys.safeParse(JSON.stringify({ payments: keys.payments!.publicKey }));
    expect(ok.success && Object.keys(ok.data)).toEqual(['payments']);
    for (const bad of ['[]', 'nope', JSON.stringify({ 'Bad Name': 'x'.repeat(20) })]) {
      expect(servicePublicKeys.safeParse(bad).success).toBe(false);
    }
  });
});
