import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@welfare/kit';
import { createTokenVerifier, generateGatewayKeys, type VerifiedToken } from '@welfare/kit/auth';
import { gatewayConfig } from '../src/config.js';
import { startGateway, type RunningGateway } from '../src/gateway.js';

const TIMEOUT_MS = 600;
const MARGIN_MS = 150;

type Mode = 'answer' | 'silent' | 'stall' | 'shed' | 'drop' | 'refuse' | 'badValue';

interface Answer {
  status: number;
  data?: { organisations: unknown[] } | null;
  errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

/**
 * The gateway's calls to a subgraph (its fetcher): a token verified by the subgraph's verifier with
 * the call's deadline, the answer passed on, and a timeout, a lost connection and a shed request
 * reported as before (SERVICE_UNAVAILABLE with `outcome: UNKNOWN`, or with the retry hint).
 */
describe('the gateway’s calls to a subgraph', () => {
  let gateway: RunningGateway;
  let upstream: Server;
  let url: string;
  let mode: Mode = 'answer';
  const seen: Array<{ token: VerifiedToken | null; at: number; body: string }> = [];
  /** Calls whose connection the gateway closed before they were answered. */
  let abandoned = 0;

  beforeAll(async () => {
    const keys = await generateGatewayKeys();
    const verify = await createTokenVerifier(keys.publicKey, 'identity');
    // Stands in for identity.
    upstream = createServer((req, res) => {
      void (async () => {
        const at = Date.now();
        const body = await readAll(req);
        const token = await verify((req.headers.authorization ?? '').replace('Bearer ', '')).catch(
          () => null,
        );
        seen.push({ token, at, body });
        res.once('close', () => {
          if (!res.writableFinished) abandoned += 1;
        });
        if (!token) return void res.writeHead(401).end();
        const json = (status: number, value: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(value));
        };
        switch (mode) {
          case 'answer':
            return json(200, { data: { organisations: [{ id: 'o1' }] } });
          case 'silent':
            return;
          case 'stall':
            res.writeHead(200, { 'content-type': 'application/json' });
            return void res.write('{"data":{"organisations":[');
          case 'shed':
            return json(503, {
              errors: [
                {
                  message: 'busy',
                  extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 7 },
                },
              ],
            });
          case 'drop':
            return void req.socket.destroy();
          case 'badValue':
            // What a subgraph's Apollo answers for a value its GraphQL refused (a custom scalar
            // the supergraph cannot check): 400, nothing executed.
            return json(400, {
              errors: [
                {
                  message:
                    'Variable "$b" got invalid value 1.5; SafeInt cannot represent non-integer value: 1.5',
                  extensions: {
                    code: 'BAD_USER_INPUT',
                    messages: { it: 'Alcuni dati non sono validi.', en: 'Some data is not valid.' },
                    fields: [
                      {
                        field: 'b',
                        message: {
                          it: 'Deve essere un numero intero.',
                          en: 'Must be a whole number.',
                        },
                      },
                    ],
                  },
                },
              ],
            });
          case 'refuse':
            return json(200, {
              data: null,
              errors: [
                {
                  message: 'Accesso negato. / Access denied.',
                  path: ['organisations'],
                  extensions: {
                    code: 'FORBIDDEN',
                    messages: { it: 'Accesso negato.', en: 'Access denied.' },
                  },
                },
              ],
            });
        }
      })();
    });
    await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
    const port = (upstream.address() as AddressInfo).port;
    const config = gatewayConfig({
      NODE_ENV: 'test',
      PORT: '0',
      GATEWAY_PRIVATE_KEY: keys.privateKey,
      SUBGRAPH_URL_IDENTITY: `http://127.0.0.1:${port}/graphql`,
      SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS),
      SUBGRAPH_DEADLINE_MARGIN_MS: String(MARGIN_MS),
    });
    gateway = await startGateway(config, createLogger('gateway-test', 'silent'));
    url = `${gateway.url}/graphql`;
  });
  afterAll(async () => {
    await gateway?.stop();
    upstream?.closeAllConnections();
    await new Promise<void>((done) => upstream.close(() => done()));
  });
  beforeEach(() => {
    seen.length = 0;
    abandoned = 0;
  });

  const ask = async (): Promise<Answer & { ms: number }> => {
    const started = Date.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-subgraph-calls' },
      body: JSON.stringify({ query: '{ organisations { id } }' }),
    });
    const body = (await response.json()) as Answer;
    return { ...body, status: response.status, ms: Date.now() - started };
  };

  it('sends a fresh token for the subgraph with the call’s deadline, and passes the answer on', async () => {
    mode = 'answer';
    const before = Date.now();
    const answer = await ask();
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ organisations: [{ id: 'o1' }] });
    expect(seen).toHaveLength(1);
    const call = seen[0]!;
    expect((JSON.parse(call.body) as { query: string }).query).toContain('organisations');
    expect(call.token?.caller).toEqual({ kind: 'anonymous' });
    expect(call.token?.requestId).toBe('req-subgraph-calls');
    // The deadline: the call's timeout less the margin, from when the call started.
    expect(call.token?.deadline).toBeGreaterThanOrEqual(before + TIMEOUT_MS - MARGIN_MS);
    expect(call.token?.deadline).toBeLessThanOrEqual(call.at + TIMEOUT_MS - MARGIN_MS);
  });

  it('gives up at the timeout on a subgraph that does not answer: unknown outcome, connection closed', async () => {
    mode = 'silent';
    const answer = await ask();
    expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(answer.ms).toBeLessThan(TIMEOUT_MS + 1_500);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      service: 'identity',
      outcome: 'UNKNOWN',
    });
    expect(answer.errors?.[0]?.extensions.retryAfterSeconds).toBeUndefined();
    await expect.poll(() => abandoned, { timeout: 2_000 }).toBe(1);
  });

  it('gives up at the timeout on an answer that stops half way', async () => {
    mode = 'stall';
    const answer = await ask();
    expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      service: 'identity',
      outcome: 'UNKNOWN',
    });
    await expect.poll(() => abandoned, { timeout: 2_000 }).toBe(1);
  });

  it('reports a lost connection as an unknown outcome, at once', async () => {
    mode = 'drop';
    const answer = await ask();
    expect(answer.ms).toBeLessThan(TIMEOUT_MS);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      service: 'identity',
      outcome: 'UNKNOWN',
    });
  });

  it('passes on a shed request’s retry hint (nothing was done: no unknown outcome)', async () => {
    mode = 'shed';
    const answer = await ask();
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      service: 'identity',
      retryAfterSeconds: 7,
    });
    expect(answer.errors?.[0]?.extensions.outcome).toBeUndefined();
  });

  it('gives a subgraph’s 400 for a refused value as BAD_USER_INPUT with its field, not as unavailable', async () => {
    mode = 'badValue';
    const answer = await ask();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      messages: { it: 'Alcuni dati non sono validi.', en: 'Some data is not valid.' },
      fields: [
        {
          field: 'b',
          message: { it: 'Deve essere un numero intero.', en: 'Must be a whole number.' },
        },
      ],
      requestId: 'req-subgraph-calls',
    });
  });

  it('keeps a subgraph’s own refusal with its code and messages', async () => {
    mode = 'refuse';
    const answer = await ask();
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      messages: { it: 'Accesso negato.', en: 'Access denied.' },
    });
  });

  it('serves calls again once the subgraph answers', async () => {
    mode = 'answer';
    const answers = await Promise.all(Array.from({ length: 20 }, () => ask()));
    expect(answers.map((a) => a.errors)).toEqual(answers.map(() => undefined));
  });
});
