import { describe, expect, it } from 'vitest';
import {
  downloadProblem,
  downloadResponse,
  downloadUrl,
  fetchDownload,
  householdsExportTarget,
} from './downloads';

const context = { token: 'tok', clientAddress: '203.0.113.7', requestId: 'req-12345678' };
const COMUNE = '0b7c2d1e-0000-4000-8000-000000000101';

function fakeFetch(respond: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return respond();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('householdsExportTarget and downloadUrl', () => {
  it('sends the filter in the API units to the gateway download route', () => {
    const target = householdsExportTarget(COMUNE, {
      iseeMax: 1_000_000,
      hasMinors: true,
      receivesPublicSupport: false,
      minSize: 2,
    });
    expect(String(downloadUrl('http://127.0.0.1:4000/graphql', target))).toBe(
      `http://127.0.0.1:4000/downloads/public-welfare/exports/households.csv?comuneId=${COMUNE}` +
        '&iseeMax=1000000&hasMinors=true&receivesPublicSupport=false&minSize=2',
    );
    expect(
      String(downloadUrl('https://api.example/graphql', householdsExportTarget(COMUNE, {}))),
    ).toBe(
      `https://api.example/downloads/public-welfare/exports/households.csv?comuneId=${COMUNE}`,
    );
  });
});

describe('downloadProblem', () => {
  it('maps refusals to problems', () => {
    expect(downloadProblem(401)).toBe('unauthenticated');
    expect(downloadProblem(403)).toBe('forbidden');
    expect(downloadProblem(404)).toBe('notFound');
    expect(downloadProblem(400)).toBe('badRequest');
    for (const status of [408, 429, 500, 502, 503, 504]) {
      expect(downloadProblem(status)).toBe('unavailable');
    }
  });
});

describe('fetchDownload', () => {
  it('asks with the session, the client address and the request id, and keeps the body', async () => {
    const { fetch, calls } = fakeFetch(
      () =>
        new Response('a;b\r\n1;2\r\n', {
          status: 200,
          headers: { 'content-type': 'text/csv; charset=utf-8' },
        }),
    );
    const result = await fetchDownload(context, householdsExportTarget(COMUNE, {}), { fetch });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await result.response.text()).toBe('a;b\r\n1;2\r\n');
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(calls[0]?.init.method).toBe('GET');
    expect(headers.authorization).toBe('Bearer tok');
    expect(headers['x-request-id']).toBe('req-12345678');
    expect(headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(headers.cookie).toBeUndefined();
  });

  it('sends no authorization when anonymous', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(null, { status: 401 }));
    const result = await fetchDownload(
      { token: null, clientAddress: null, requestId: 'req-12345678' },
      householdsExportTarget(COMUNE, {}),
      { fetch },
    );
    expect(result).toEqual({ ok: false, problem: 'unauthenticated', error: undefined });
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers.authorization).toBeUndefined();
  });

  it("reads the gateway's error", async () => {
    const { fetch } = fakeFetch(() =>
      Response.json(
        {
          errors: [
            {
              message: 'x',
              extensions: { code: 'FORBIDDEN', messages: { it: 'Vietato.', en: 'Forbidden.' } },
            },
          ],
        },
        { status: 403 },
      ),
    );
    const result = await fetchDownload(context, householdsExportTarget(COMUNE, {}), { fetch });
    expect(result).toMatchObject({
      ok: false,
      problem: 'forbidden',
      error: { code: 'FORBIDDEN', messages: { it: 'Vietato.', en: 'Forbidden.' } },
    });
  });

  it('never throws: a network failure is unavailable', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const result = await fetchDownload(context, householdsExportTarget(COMUNE, {}), { fetch });
    expect(result).toEqual({ ok: false, problem: 'unavailable', error: undefined });
  });
});

describe('downloadResponse', () => {
  it('passes the file headers on, and no others, never cached', async () => {
    const upstream = new Response('a;b\r\n', {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="nuclei.csv"',
        'content-length': '5',
        'set-cookie': 'x=1',
        'x-request-id': 'gateway-id',
      },
    });
    const response = downloadResponse(upstream);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="nuclei.csv"');
    expect(response.headers.get('content-length')).toBe('5');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toBe('a;b\r\n');
  });
});
