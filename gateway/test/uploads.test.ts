import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Caller } from '@welfare/kit';
import { createTokenVerifier, generateGatewayKeys } from '@welfare/kit/auth';
import { gatewayConfig } from '../src/config.js';
import { startGateway, type RunningGateway } from '../src/gateway.js';

const SESSION = 's'.repeat(43);
const PERSON: Caller = {
  kind: 'person',
  personId: '6d0f4c2e-2b9a-4d7e-9c1f-3a5b7c9d1e2f',
  sessionId: 'session-1',
  platformAdmin: false,
  memberships: [],
};

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Uploads are streamed to the owning subgraph with a token for its audience. */
describe('the upload proxy', () => {
  let gateway: RunningGateway;
  let upstream: Server;
  let url: string;
  const seen: Array<{ caller: Caller; headers: IncomingMessage['headers']; bytes: number }> = [];
  /** Paths of uploads the subgraph saw cut off before their end. */
  const aborted: string[] = [];

  beforeAll(async () => {
    const keys = await generateGatewayKeys();
    const verify = await createTokenVerifier(keys.publicKey, 'identity');
    // Stands in for the identity subgraph: the session route and an import route.
    upstream = createServer((req, res) => {
      void (async () => {
        const token = (req.headers.authorization ?? '').replace('Bearer ', '');
        const { caller } = await verify(token).catch(() => ({ caller: null }));
        if (!caller) {
          res.writeHead(401).end();
          return;
        }
        if (req.url === '/internal/session') {
          const { tokens } = JSON.parse((await body(req)).toString()) as { tokens: string[] };
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              callers: tokens.map((t) => (t === SESSION ? PERSON : { kind: 'anonymous' })),
            }),
          );
          return;
        }
        let bytes: number;
        try {
          bytes = (await body(req)).length;
        } catch {
          aborted.push(req.url ?? '');
          return;
        }
        seen.push({ caller, headers: req.headers, bytes });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jobId: 'job-1', bytes, path: req.url }));
      })();
    });
    await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
    const port = (upstream.address() as AddressInfo).port;
    const config = gatewayConfig({
      NODE_ENV: 'test',
      PORT: '0',
      GATEWAY_PRIVATE_KEY: keys.privateKey,
      SUBGRAPH_URL_IDENTITY: `http://127.0.0.1:${port}/graphql`,
    });
    gateway = await startGateway(config, createLogger('gateway-test', 'silent'));
    url = gateway.url;
  });
  afterAll(async () => {
    await gateway?.stop();
    await new Promise((done) => upstream?.close(done));
  });

  const upload = (path: string, data: Buffer, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...headers },
      body: data,
    });

  it('streams the body to the subgraph with a token carrying the caller, and nothing else', async () => {
    const data = Buffer.alloc(5 * 1024 * 1024, 'a');
    const response = await upload('/uploads/identity/imports/registry?comuneId=x', data, {
      authorization: `Bearer ${SESSION}`,
      cookie: 'session=stolen',
      'x-user-id': 'someone-else',
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      jobId: 'job-1',
      bytes: data.length,
      path: '/imports/registry?comuneId=x',
    });
    const last = seen.at(-1);
    expect(last?.caller).toEqual(PERSON);
    expect(last?.headers.cookie).toBeUndefined();
    expect(last?.headers['x-user-id']).toBeUndefined();
    expect(last?.headers['content-type']).toBe('text/csv');
  });

  it('cuts the subgraph’s upload off at once when the client goes away mid-body', async () => {
    const req = request(`${url}/uploads/identity/imports/registry?comuneId=cut`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SESSION}`,
        'content-type': 'text/csv',
        'content-length': 1_000_000,
      },
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(1000, 'a'));
    await new Promise((r) => setTimeout(r, 300));
    const abortedAt = Date.now();
    req.destroy();
    for (let i = 0; i < 120 && aborted.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(aborted).toEqual(['/imports/registry?comuneId=cut']);
    expect(Date.now() - abortedAt).toBeLessThan(3000);
  });

  it('refuses anonymous uploads, other paths and unknown subgraphs', async () => {
    const before = seen.length;
    const anonymous = await upload('/uploads/identity/imports/registry', Buffer.from('a;b'));
    expect(anonymous.status).toBe(401);
    const graphql = await upload('/uploads/identity/graphql', Buffer.from('{}'), {
      authorization: `Bearer ${SESSION}`,
    });
    expect(graphql.status).toBe(404);
    const unknown = await upload('/uploads/nowhere/imports/x', Buffer.from('a'), {
      authorization: `Bearer ${SESSION}`,
    });
    expect(unknown.status).toBe(404);
    const traversal = await upload(
      '/uploads/identity/imports/../internal/session',
      Buffer.from('a'),
      {
        authorization: `Bearer ${SESSION}`,
      },
    );
    expect([404]).toContain(traversal.status);
    expect(seen.length).toBe(before);
  });
});
