import type { TadaDocumentNode } from 'gql.tada';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { gatewayRequest } from './gateway';

const Viewer = parse('query Viewer { viewer { platformAdmin } }') as TadaDocumentNode<
  { viewer: { platformAdmin: boolean } | null },
  Record<string, never>
>;
const context = { token: 'tok', clientAddress: '203.0.113.7', requestId: 'req-12345678' };

function fakeFetch(respond: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init: init ?? {} });
    return respond();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('gatewayRequest', () => {
  it('posts JSON with the session, client address and request id', async () => {
    const { fetch, calls } = fakeFetch(() =>
      Response.json({ data: { viewer: { platformAdmin: true } } }),
    );
    const result = await gatewayRequest(context, Viewer, {}, { fetch });
    expect(result).toEqual({
      data: { viewer: { platformAdmin: true } },
      errors: [],
      unavailable: false,
      outcomeUnknown: false,
    });
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(calls[0]?.url).toBe('http://127.0.0.1:4000/graphql');
    expect(calls[0]?.init.method).toBe('POST');
    expect(headers.authorization).toBe('Bearer tok');
    expect(headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(headers['x-request-id']).toBe('req-12345678');
    expect(JSON.parse(calls[0]?.init.body as string)).toMatchObject({ variables: {} });
    expect(calls[0]?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('sends no authorization when anonymous', async () => {
    const { fetch, calls } = fakeFetch(() => Response.json({ data: { viewer: null } }));
    await gatewayRequest({ ...context, token: null }, Viewer, {}, { fetch });
    expect((calls[0]?.init.headers as Record<string, string>).authorization).toBeUndefined();
  });

  it('returns GraphQL errors without throwing', async () => {
    const { fetch } = fakeFetch(() =>
      Response.json({ data: null, errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }),
    );
    const result = await gatewayRequest(context, Viewer, {}, { fetch });
    expect(result.unavailable).toBe(false);
    expect(result.errors[0]?.code).toBe('FORBIDDEN');
  });

  it('a network failure is "unavailable"', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const result = await gatewayRequest(context, Viewer, {}, { fetch });
    expect(result).toMatchObject({ data: null, unavailable: true });
    expect(result.errors[0]?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('a 502 page from a proxy is "unavailable"', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect((await gatewayRequest(context, Viewer, {}, { fetch })).unavailable).toBe(true);
  });

  it('a subgraph failure on a field is "unavailable" and keeps partial data', async () => {
    const { fetch } = fakeFetch(() =>
      Response.json({
        data: { viewer: null },
        errors: [{ message: 'x', path: ['viewer'], extensions: { code: 'SERVICE_UNAVAILABLE' } }],
      }),
    );
    const result = await gatewayRequest(context, Viewer, {}, { fetch });
    expect(result.unavailable).toBe(true);
    expect(result.data).toEqual({ viewer: null });
  });
});
