import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { contentDisposition, readUpload, sendFile, sendJson } from './http.js';

describe('contentDisposition', () => {
  it('keeps an ASCII name and adds the UTF-8 one', () => {
    expect(contentDisposition('report.pdf')).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
    );
  });

  it('replaces quotes, backslashes and non-ASCII characters in the fallback', () => {
    expect(contentDisposition('a"b\\c è.pdf')).toBe(
      `attachment; filename="a_b_c _.pdf"; filename*=UTF-8''a%22b%5Cc%20%C3%A8.pdf`,
    );
  });
});

describe('readUpload and sendFile', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  async function start(maxBytes: number): Promise<string> {
    server = createServer((req, res) => {
      void readUpload(req, res, maxBytes).then((content) => {
        if (!content) return;
        if (req.url === '/json') return sendJson(res, 201, { size: content.length });
        sendFile(res, { contentType: 'text/plain', fileName: 'eco è.txt', content });
      });
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('returns the body within the limit, sent back as an attachment', async () => {
    const url = await start(10);
    const res = await fetch(`${url}/file`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''eco%20%C3%A8.txt`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 413 with the file field message over the limit, declared or streamed', async () => {
    const url = await start(10);
    const declared = await fetch(`${url}/json`, { method: 'POST', body: 'x'.repeat(11) });
    expect(declared.status).toBe(413);
    const body = (await declared.json()) as {
      errors: { extensions: { code: string; fields: { field: string }[] } }[];
    };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0]?.extensions.fields[0]?.field).toBe('file');

    const chunks = ['x'.repeat(6), 'x'.repeat(6)];
    const streamed = await fetch(`${url}/json`, {
      method: 'POST',
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(new TextEncoder().encode(next));
          else controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    const exact = await fetch(`${url}/json`, { method: 'POST', body: 'x'.repeat(10) });
    expect(await exact.json()).toEqual({ size: 10 });
  });
});
