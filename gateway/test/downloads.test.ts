import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Caller } from '@welfare/kit';
import { createTokenVerifier, generateGatewayKeys } from '@welfare/kit/auth';
import { gatewayConfig } from '../src/config.js';
import { upstreamError } from '../src/downloads.js';
import { startGateway, type RunningGateway } from '../src/gateway.js';

const SESSION = 's'.repeat(43);
const PERSON: Caller = {
  kind: 'person',
  personId: '6d0f4c2e-2b9a-4d7e-9c1f-3a5b7c9d1e2f',
  sessionId: 'session-1',
  platformAdmin: false,
  memberships: [],
};
const AUTH = { authorization: `Bearer ${SESSION}` };
/** What the fake subgraph may see of a download: no header the client chose but the request id. */
const ALLOWED_UPSTREAM_HEADERS = ['authorization', 'connection', 'host', 'x-request-id'];

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

interface ErrorBody {
  errors: Array<{
    message: string;
    extensions: {
      code: string;
      messages: { it: string; en: string };
      requestId?: string;
      fields?: unknown;
    };
  }>;
}

/** A raw GET, so that dot segments and odd paths reach the gateway as written. */
function rawGet(base: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; text: string }>((resolveGet, reject) => {
    const url = new URL(base);
    const outgoing = request(
      { host: url.hostname, port: url.port, path, method: 'GET', headers },
      (res) => {
        void body(res).then((data) =>
          resolveGet({ status: res.statusCode ?? 0, text: data.toString() }),
        );
      },
    );
    outgoing.once('error', reject);
    outgoing.end();
  });
}

/** Downloads are streamed from the owning subgraph with a token for its audience. */
describe('the download proxy', () => {
  let gateway: RunningGateway;
  let slowGateway: RunningGateway;
  let upstream: Server;
  let url: string;
  const seen: Array<{ caller: Caller; url: string; headers: IncomingMessage['headers'] }> = [];
  let release: () => void = () => undefined;
  const CSV_ROWS = 60_000;
  const csvLine = (i: number) => `F${String(i).padStart(6, '0')};Via Roma ${i};3;SI\r\n`;

  beforeAll(async () => {
    const keys = await generateGatewayKeys();
    const verifyIdentity = await createTokenVerifier(keys.publicKey, 'identity');
    const verifyWelfare = await createTokenVerifier(keys.publicKey, 'public-welfare');
    // Stands in for identity (the session route) and public-welfare (download routes).
    upstream = createServer((req, res) => {
      void (async () => {
        const token = (req.headers.authorization ?? '').replace('Bearer ', '');
        const path = req.url ?? '/';
        if (path === '/internal/session') {
          const verified = await verifyIdentity(token).catch(() => null);
          if (!verified) return void res.writeHead(401).end();
          const { tokens } = JSON.parse((await body(req)).toString()) as { tokens: string[] };
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              callers: tokens.map((t) => (t === SESSION ? PERSON : { kind: 'anonymous' })),
            }),
          );
          return;
        }
        const verified = await verifyWelfare(token).catch(() => null);
        if (!verified) return void res.writeHead(401).end();
        seen.push({ caller: verified.caller, url: path, headers: req.headers });
        const pathname = new URL(path, 'http://x').pathname;
        if (pathname === '/exports/households.csv' && verified.caller.kind !== 'person') {
          // Like the real subgraph: an anonymous caller is refused there.
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              errors: [
                {
                  message: 'x',
                  extensions: {
                    code: 'UNAUTHENTICATED',
                    messages: { it: 'Accesso richiesto.', en: 'Login required.' },
                  },
                },
              ],
            }),
          );
        } else if (pathname === '/exports/households.csv') {
          res.writeHead(200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="nuclei.csv"',
            'set-cookie': 'internal=1',
            server: 'subgraph/1.0',
          });
          res.write('codice_famiglia;indirizzo;componenti;residente\r\n');
          for (let i = 0; i < CSV_ROWS; i += 1000) {
            let chunk = '';
            for (let j = i; j < i + 1000; j++) chunk += csvLine(j);
            if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
          }
          res.end();
        } else if (pathname === '/files/receipt.pdf') {
          const pdf = Buffer.from('%PDF-1.7\n% a small file\n%%EOF\n');
          res.writeHead(200, {
            'content-type': 'application/pdf',
            'content-length': String(pdf.length),
            'content-disposition': 'inline; filename="ricevuta.pdf"',
          });
          res.end(pdf);
        } else if (pathname === '/exports/slow.csv') {
          res.writeHead(200, { 'content-type': 'text/csv' });
          res.write('first\r\n');
          release = () => res.end('last\r\n');
        } else if (pathname === '/exports/cut.csv') {
          res.writeHead(200, { 'content-type': 'text/csv' });
          res.write('a;b\r\n'.repeat(1000));
          setTimeout(() => res.socket?.destroy(), 50);
        } else if (pathname === '/exports/forbidden.csv') {
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              errors: [
                {
                  message: 'Solo il personale del Comune. / Comune staff only.',
                  extensions: {
                    code: 'FORBIDDEN',
                    messages: { it: 'Solo il personale del Comune.', en: 'Comune staff only.' },
                  },
                },
              ],
            }),
          );
        } else if (pathname === '/exports/invalid.csv') {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              errors: [
                {
                  message: 'Dati non validi. / Invalid data.',
                  extensions: {
                    code: 'BAD_USER_INPUT',
                    messages: { it: 'Dati non validi.', en: 'Invalid data.' },
                    fields: [{ field: 'iseeMax', message: { it: 'Numero.', en: 'Number.' } }],
                  },
                },
              ],
            }),
          );
        } else if (pathname === '/exports/crash.csv') {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              errors: [
                {
                  message: 'relation "secret_table" does not exist',
                  extensions: { code: 'INTERNAL_SERVER_ERROR', stack: 'at /srv/app/db.js:12' },
                },
              ],
            }),
          );
        } else if (pathname === '/exports/html.csv') {
          res.writeHead(500, { 'content-type': 'text/html' });
          res.end('<pre>TypeError at /srv/app/export.js:42 password=hunter2</pre>');
        } else if (pathname === '/exports/hang.csv') {
          // Never answers: the gateway's timeout must.
        } else if (pathname === '/exports/reset.csv') {
          req.socket.destroy();
        } else {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'not found' }));
        }
      })();
    });
    await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
    const port = (upstream.address() as AddressInfo).port;
    const env = {
      NODE_ENV: 'test',
      PORT: '0',
      GATEWAY_PRIVATE_KEY: keys.privateKey,
      SUBGRAPH_URL_IDENTITY: `http://127.0.0.1:${port}/graphql`,
      SUBGRAPH_URL_PUBLIC_WELFARE: `http://127.0.0.1:${port}/graphql`,
    };
    gateway = await startGateway(gatewayConfig(env), createLogger('gateway-test', 'silent'));
    slowGateway = await startGateway(
      gatewayConfig({ ...env, DOWNLOAD_TIMEOUT_MS: '1000' }),
      createLogger('gateway-test', 'silent'),
    );
    url = gateway.url;
  });
  afterAll(async () => {
    release();
    await gateway?.stop();
    await slowGateway?.stop();
    upstream?.closeAllConnections();
    await new Promise((done) => upstream?.close(done));
  });

  const download = (path: string, headers: Record<string, string> = {}, base = url) =>
    fetch(`${base}${path}`, { headers });

  it('streams the file with the caller in a signed token, the query string and nothing else', async () => {
    const response = await download(
      '/downloads/public-welfare/exports/households.csv?comuneId=c-1&iseeMax=1000000&hasMinors=true',
      {
        ...AUTH,
        cookie: 'session=stolen',
        'x-user-id': 'someone-else',
        'x-forwarded-for': '203.0.113.9',
        range: 'bytes=0-10',
        'x-request-id': 'req-download-1',
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="nuclei.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-request-id')).toBe('req-download-1');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('server')).toBeNull();
    const text = await response.text();
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(CSV_ROWS + 1);
    expect(lines[0]).toBe('codice_famiglia;indirizzo;componenti;residente');
    expect(`${lines.at(-1)}\r\n`).toBe(csvLine(CSV_ROWS - 1));

    const last = seen.at(-1);
    expect(last?.url).toBe('/exports/households.csv?comuneId=c-1&iseeMax=1000000&hasMinors=true');
    expect(last?.caller).toEqual(PERSON);
    expect(last?.headers['x-request-id']).toBe('req-download-1');
    for (const name of Object.keys(last?.headers ?? {})) {
      expect(ALLOWED_UPSTREAM_HEADERS, `forwarded header ${name}`).toContain(name);
    }
  });

  it('passes the length of a file on, under files/', async () => {
    const response = await download('/downloads/public-welfare/files/receipt.pdf', AUTH);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('inline; filename="ricevuta.pdf"');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('sends the first bytes before the subgraph has finished (no buffering)', async () => {
    const response = await download('/downloads/public-welfare/exports/slow.csv', AUTH);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value ?? []).toString()).toBe('first\r\n');
    release();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += Buffer.from(value).toString();
    }
    expect(rest).toBe('last\r\n');
  });

  it('passes anonymous callers on as anonymous: the subgraph decides (public rankings)', async () => {
    const before = seen.length;
    const anonymous = await download('/downloads/public-welfare/exports/households.csv');
    expect(anonymous.status).toBe(401);
    const refused = (await anonymous.json()) as ErrorBody;
    expect(refused.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(refused.errors[0]?.extensions.messages.it).toBeTruthy();
    expect(refused.errors[0]?.extensions.requestId).toBeTruthy();
    expect(seen.at(-1)?.caller).toEqual({ kind: 'anonymous' });

    const forged = await download('/downloads/public-welfare/exports/households.csv', {
      authorization: `Bearer ${'x'.repeat(43)}`,
    });
    expect(forged.status).toBe(401);
    expect(seen.at(-1)?.caller).toEqual({ kind: 'anonymous' });
    expect(seen.length).toBe(before + 2);
  });

  it('refuses other paths and unknown subgraphs without asking the subgraph', async () => {
    const before = seen.length;

    for (const path of [
      '/downloads/public-welfare/graphql',
      '/downloads/public-welfare/internal/session',
      '/downloads/public-welfare/imports/registry',
      '/downloads/public-welfare/exports',
      '/downloads/public-welfare/',
      '/downloads/nowhere/exports/households.csv',
      '/downloads/Public-Welfare/exports/households.csv',
      '/downloads',
    ]) {
      const response = await download(path, AUTH);
      expect(response.status, path).toBe(404);
      const answer = (await response.json()) as ErrorBody;
      expect(answer.errors[0]?.extensions.code, path).toBe('NOT_FOUND');
    }
    for (const path of [
      '/downloads/public-welfare/exports/../internal/session',
      '/downloads/public-welfare/exports/%2e%2e/internal/session',
      '/downloads/public-welfare/exports/%2E%2E/%2E%2E/identity/internal/session',
      '/downloads/public-welfare/exports/..%2finternal%2fsession',
      '/downloads/public-welfare/exports//households.csv',
    ]) {
      const response = await rawGet(url, path, AUTH);
      expect(response.status, path).toBe(404);
    }
    const post = await fetch(`${url}/downloads/public-welfare/exports/households.csv`, {
      method: 'POST',
      headers: AUTH,
      body: 'x',
    });
    expect(post.status).toBe(404);
    expect(seen.length).toBe(before);
  });

  it("maps the subgraph's refusals to the gateway's error shape, without internals", async () => {
    const forbidden = await download('/downloads/public-welfare/exports/forbidden.csv', {
      ...AUTH,
      'x-request-id': 'req-forbidden-1',
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('cache-control')).toBe('no-store');
    expect(await forbidden.json()).toEqual({
      errors: [
        {
          message: 'Solo il personale del Comune. / Comune staff only.',
          extensions: {
            code: 'FORBIDDEN',
            messages: { it: 'Solo il personale del Comune.', en: 'Comune staff only.' },
            requestId: 'req-forbidden-1',
          },
        },
      ],
    });

    const invalid = await download('/downloads/public-welfare/exports/invalid.csv', AUTH);
    expect(invalid.status).toBe(400);
    const invalidBody = (await invalid.json()) as ErrorBody;
    expect(invalidBody.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(invalidBody.errors[0]?.extensions.fields).toEqual([
      { field: 'iseeMax', message: { it: 'Numero.', en: 'Number.' } },
    ]);

    for (const path of ['crash.csv', 'html.csv']) {
      const response = await download(`/downloads/public-welfare/exports/${path}`, AUTH);
      expect(response.status, path).toBe(502);
      const text = await response.text();
      expect(text).not.toMatch(/secret_table|\/srv|stack|hunter2|TypeError/);
      expect((JSON.parse(text) as ErrorBody).errors[0]?.extensions.code).toBe(
        'INTERNAL_SERVER_ERROR',
      );
    }

    const missing = await download('/downloads/public-welfare/exports/nothing.csv', AUTH);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).errors[0]?.extensions.code).toBe('NOT_FOUND');
  });

  it('answers 503 when the subgraph drops the connection or does not answer in time', async () => {
    const reset = await download('/downloads/public-welfare/exports/reset.csv', AUTH);
    expect(reset.status).toBe(503);
    expect(((await reset.json()) as ErrorBody).errors[0]?.extensions.code).toBe(
      'SERVICE_UNAVAILABLE',
    );

    const started = Date.now();
    const hang = await download(
      '/downloads/public-welfare/exports/hang.csv',
      AUTH,
      slowGateway.url,
    );
    expect(hang.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('cuts the transfer when the subgraph dies half way, so no file looks complete', async () => {
    const response = await download('/downloads/public-welfare/exports/cut.csv', AUTH);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });
});

describe('upstreamError', () => {
  it('keeps domain codes of client errors and hides the rest', () => {
    expect(
      upstreamError(409, '{"errors":[{"message":"x","extensions":{"code":"CONFLICT"}}]}', 'r1'),
    ).toMatchObject({
      status: 409,
      body: { errors: [{ extensions: { code: 'CONFLICT', requestId: 'r1' } }] },
    });
    expect(upstreamError(503, 'down', 'r2')).toMatchObject({
      status: 503,
      body: { errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
    });
    expect(upstreamError(413, '', 'r3')).toMatchObject({
      status: 413,
      body: { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] },
    });
    const weird = upstreamError(
      400,
      '{"errors":[{"message":"SELECT 1","extensions":{"code":"DATABASE_ERROR"}}]}',
      'r4',
    );
    expect(weird.status).toBe(502);
    expect(JSON.stringify(weird.body)).not.toContain('SELECT');
  });
});
