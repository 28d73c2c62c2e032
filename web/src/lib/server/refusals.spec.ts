import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { normaliseErrors, statusOf } from './errors';
import { requireFound, streamDownload, throwIfForbidden } from './refusals';

const forbidden = { errors: normaliseErrors([{ extensions: { code: 'FORBIDDEN' } }]) };
const notFound = { errors: normaliseErrors([{ extensions: { code: 'NOT_FOUND' } }]) };

/** The status a SvelteKit `error()` threw, or null when nothing was thrown. */
function statusThrown(run: () => unknown): number | null {
  try {
    run();
    return null;
  } catch (thrown) {
    if (isHttpError(thrown)) return thrown.status;
    throw thrown;
  }
}

describe('throwIfForbidden', () => {
  it('is the 403 page when any call was refused with FORBIDDEN, or a file with 403', () => {
    expect(statusThrown(() => throwIfForbidden(forbidden))).toBe(403);
    expect(statusThrown(() => throwIfForbidden(notFound, forbidden))).toBe(403);
    expect(statusThrown(() => throwIfForbidden({ problem: 'forbidden' }))).toBe(403);
  });

  it('lets everything else through', () => {
    expect(statusThrown(() => throwIfForbidden(notFound, { errors: [] }))).toBeNull();
    expect(statusThrown(() => throwIfForbidden({ problem: 'notFound' }))).toBeNull();
    expect(statusThrown(() => throwIfForbidden())).toBeNull();
  });
});

describe('requireFound', () => {
  it('gives the value, or 503 when a service is down, else 404', () => {
    expect(requireFound({ id: 'x' }, { unavailable: false })).toEqual({ id: 'x' });
    expect(requireFound(0, { unavailable: true })).toBe(0);
    expect(statusThrown(() => requireFound(null, { unavailable: true }))).toBe(503);
    expect(statusThrown(() => requireFound(undefined, { unavailable: false }))).toBe(404);
  });
});

describe('statusOf', () => {
  it('is the first error’s status, 503 when a service is down or nothing was said', () => {
    expect(statusOf({ unavailable: false, ...forbidden })).toBe(403);
    expect(statusOf({ unavailable: false, ...notFound })).toBe(404);
    expect(
      statusOf({
        unavailable: false,
        errors: normaliseErrors([{ extensions: { code: 'RATE_LIMITED' } }]),
      }),
    ).toBe(429);
    expect(statusOf({ unavailable: true, ...forbidden })).toBe(503);
    expect(statusOf({ unavailable: false, errors: [] })).toBe(503);
  });
});

describe('streamDownload', () => {
  afterEach(() => vi.unstubAllGlobals());

  const event = {
    url: new URL('https://portale.test/comune/x/file.csv?a=1'),
    locals: { sessionToken: 'tok', clientAddress: '203.0.113.7', requestId: 'req-12345678' },
  } as unknown as RequestEvent;
  const target = { subgraph: 'public-welfare', path: 'exports/x.csv' };

  it('streams the file on, with the session', async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(new Response('a;b\n', { headers: { 'content-type': 'text/csv' } })),
    );
    vi.stubGlobal('fetch', fetch);
    const file = await streamDownload(event, target);
    expect(file.ok).toBe(true);
    if (file.ok) await expect(file.response.text()).resolves.toBe('a;b\n');
    const init = (fetch.mock.calls[0] as unknown as [URL, RequestInit])[1];
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer tok');
  });

  it('sends an anonymous visitor to log in and come back', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(null, { status: 401 })));
    try {
      await streamDownload(event, target);
      expect.unreachable();
    } catch (thrown) {
      if (!isRedirect(thrown)) throw thrown;
      expect(thrown.location).toBe(
        `/accedi?redirectTo=${encodeURIComponent('/comune/x/file.csv?a=1')}`,
      );
    }
  });

  it('returns any other refusal for the route to decide', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(null, { status: 403 })));
    await expect(streamDownload(event, target)).resolves.toEqual({
      ok: false,
      problem: 'forbidden',
    });
  });
});
