import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Agent from 'undici/lib/dispatcher/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from './client.js';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

describe('httpRequest, the lean HTTP client', () => {
  let server: Server;
  let base = '';
  const routes = new Map<string, Route>();
  /** The client's source port of each request, by path (kept-alive connections reuse it). */
  const ports: number[] = [];
  /** Requests whose connection the client closed before they were answered. */
  const abandoned: string[] = [];

  beforeAll(async () => {
    server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      res.once('close', () => {
        if (!res.writableFinished) abandoned.push(req.url ?? '');
      });
      const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (route) route(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    routes.set('/echo', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-trace': 'a' });
        res.end(
          JSON.stringify({
            method: req.method,
            search: new URL(req.url ?? '/', 'http://x').search,
            contentType: req.headers['content-type'],
            contentLength: req.headers['content-length'],
            body: Buffer.concat(chunks).toString(),
          }),
        );
      });
    });
    routes.set('/shed', (req, res) => {
      req.resume();
      res.writeHead(503, 'Busy', { 'content-type': 'application/json', 'retry-after': '2' });
      res.end(JSON.stringify({ errors: [{ message: 'busy' }] }));
    });
    // Never answers.
    routes.set('/silent', (req) => {
      req.resume();
    });
    // Answers the headers and half the body, then stalls.
    routes.set('/stall', (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
    });
    // Drops the connection in the middle of the answer.
    routes.set('/drop', (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"data":', () => res.destroy());
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the method, headers and body, and answers status, headers and body as fetch does', async () => {
    const response = await httpRequest(`${base}/echo?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"q":"é"}',
    });
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.statusText).toBe('OK');
    expect(response.url).toBe(`${base}/echo?x=1`);
    expect(response.redirected).toBe(false);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('x-trace')).toBe('a');
    expect(response.headers.has('X-TRACE')).toBe(true);
    expect(response.headers.get('missing')).toBeNull();
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({
      method: 'POST',
      search: '?x=1',
      contentType: 'application/json',
      contentLength: String(Buffer.byteLength('{"q":"é"}')),
      body: '{"q":"é"}',
    });
    expect(response.bodyUsed).toBe(true);
    // A body is read once, as with fetch.
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('resolves a refusal with its status, reason and body (not ok)', async () => {
    const response = await httpRequest(`${base}/shed`, { method: 'POST', body: '{}' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(503);
    expect(response.statusText).toBe('Busy');
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({ errors: [{ message: 'busy' }] });
    const missing = await httpRequest(`${base}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
  });

  it('keeps the connection alive between calls', async () => {
    ports.length = 0;
    for (let i = 0; i < 6; i++) await (await httpRequest(`${base}/echo`)).text();
    expect(ports).toHaveLength(6);
    // undici reuses a connection one event-loop turn after its answer: a call sent at once takes
    // a second one; both are then reused.
    const connections = new Set(ports);
    expect(connections.size).toBeLessThanOrEqual(2);
    ports.length = 0;
    for (let i = 0; i < 3; i++) {
      await (await httpRequest(`${base}/echo`)).text();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(ports.filter((port) => !connections.has(port))).toEqual([]);
  });

  it('aborts a call that gets no answer at its timeout: TimeoutError, connection closed', async () => {
    const started = Date.now();
    const error = await httpRequest(`${base}/silent`, {
      method: 'POST',
      body: '{}',
      timeoutMs: 300,
    }).catch((err: unknown) => err);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(1_500);
    // The server sees the request abandoned: the connection was closed, not left waiting.
    await expect.poll(() => abandoned.includes('/silent'), { timeout: 2_000 }).toBe(true);
  });

  it('aborts at the timeout while the answer is still arriving', async () => {
    const error = await httpRequest(`${base}/stall`, { timeoutMs: 300 }).catch(
      (err: unknown) => err,
    );
    expect((error as DOMException).name).toBe('TimeoutError');
    await expect.poll(() => abandoned.includes('/stall'), { timeout: 2_000 }).toBe(true);
  });

  it('answers well within the timeout without waiting for it', async () => {
    const started = Date.now();
    const response = await httpRequest(`${base}/echo`, { timeoutMs: 5_000 });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('leaves Node’s own fetch as it was (no global dispatcher of this undici installed)', async () => {
    await (await httpRequest(`${base}/echo`)).text();
    const body = Buffer.from('{"a":1}');
    // Node's fetch with its own content-length header: refused by this undici version's Agent.
    const response = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      body,
    });
    expect(((await response.json()) as { body: string }).body).toBe('{"a":1}');
    expect(Reflect.get(globalThis, Symbol.for('undici.globalDispatcher.1'))).not.toBeInstanceOf(
      Agent,
    );
  });

  it('rejects a lost connection and a refused one (not as a timeout)', async () => {
    const dropped = await httpRequest(`${base}/drop`, { timeoutMs: 5_000 }).catch(
      (err: unknown) => err,
    );
    expect(dropped).toBeInstanceOf(Error);
    expect((dropped as Error).name).not.toBe('TimeoutError');

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await httpRequest(`http://127.0.0.1:${port}/`, { timeoutMs: 5_000 }).catch(
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).not.toBe('TimeoutError');
  });
});
