import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@welfare/kit';
import { generateGatewayKeys } from '@welfare/kit/auth';
import { gatewayConfig } from '../src/config.js';
import { startGateway, type RunningGateway } from '../src/gateway.js';

/** The gateway as deployed (NODE_ENV=production) over the committed supergraph. */
describe('the gateway in production', () => {
  let gateway: RunningGateway;
  let url: string;

  beforeAll(async () => {
    const keys = await generateGatewayKeys();
    // Nothing can listen on port 0: everything below is decided before any subgraph call.
    const nowhere = 'http://127.0.0.1:0/graphql';
    const config = gatewayConfig({
      NODE_ENV: 'production',
      PORT: '0',
      GATEWAY_PRIVATE_KEY: keys.privateKey,
      SUBGRAPH_URL_IDENTITY: nowhere,
    });
    gateway = await startGateway(config, createLogger('gateway-test', 'silent'));
    url = `${gateway.url}/graphql`;
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const post = async (query: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: unknown;
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      },
    };
  };

  it('refuses introspection', async () => {
    const { status, body } = await post('{ __schema { types { name } } }');
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'GRAPHQL_VALIDATION_FAILED',
    });
  });

  it('gives no field suggestions', async () => {
    const { status, body } = await post('{ viewr { platformAdmin } }');
    expect(status).toBe(400);
    const text = JSON.stringify(body.errors);
    expect(text).not.toMatch(/did you mean|viewer/i);
  });

  it('names the unreachable subgraph without internals', async () => {
    const { body } = await post('{ organisations { id } }');
    const error = body.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'identity' });
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch failed/);
  });
});
