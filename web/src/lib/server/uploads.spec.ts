import { describe, expect, it } from 'vitest';
import { uploadImport, uploadOutcome, uploadUrl } from './uploads';

const context = { token: 'tok', clientAddress: '203.0.113.7', requestId: 'req-12345678' };
const COMUNE = '0b7c2d1e-0000-4000-8000-000000000101';

function apiError(code: string, it: string, en: string) {
  return { errors: [{ message: en, extensions: { code, messages: { it, en } } }] };
}

function fakeFetch(respond: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit & { duplex?: string } }[] = [];
  const fetch = (async (url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return respond();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('uploadUrl', () => {
  it('derives the upload route from the GraphQL URL', () => {
    expect(String(uploadUrl('http://127.0.0.1:4000/graphql', 'REGISTRY', COMUNE))).toBe(
      `http://127.0.0.1:4000/uploads/public-welfare/imports/registry?comuneId=${COMUNE}`,
    );
    expect(uploadUrl('https://api.example/graphql', 'INCOME', COMUNE).pathname).toBe(
      '/uploads/public-welfare/imports/income',
    );
  });
});

describe('uploadOutcome', () => {
  it('reads the job id of an accepted upload', () => {
    expect(uploadOutcome(202, { jobId: 'job-1' })).toEqual({ ok: true, jobId: 'job-1' });
    expect(uploadOutcome(202, {})).toMatchObject({ ok: false, problem: 'unavailable' });
  });

  it('maps refusals to problems, keeping the API error', () => {
    const forbidden = uploadOutcome(403, apiError('FORBIDDEN', 'Vietato.', 'Forbidden.'));
    expect(forbidden).toMatchObject({
      ok: false,
      problem: 'forbidden',
      error: { code: 'FORBIDDEN', messages: { it: 'Vietato.', en: 'Forbidden.' } },
    });
    expect(uploadOutcome(401, null)).toMatchObject({ problem: 'unauthenticated' });
    expect(uploadOutcome(413, apiError('BAD_USER_INPUT', 'Grande.', 'Big.'))).toMatchObject({
      problem: 'tooLarge',
    });
    expect(uploadOutcome(415, null)).toMatchObject({ problem: 'notCsv' });
    expect(uploadOutcome(400, apiError('BAD_USER_INPUT', 'No.', 'No.'))).toMatchObject({
      problem: 'badRequest',
    });
  });

  it('treats gateway and proxy failures as unavailable', () => {
    for (const status of [404, 429, 500, 502, 503, 504]) {
      expect(uploadOutcome(status, null)).toMatchObject({ ok: false, problem: 'unavailable' });
    }
  });
});

describe('uploadImport', () => {
  it('streams the file as text/csv with the session and the request id', async () => {
    const { fetch, calls } = fakeFetch(() => Response.json({ jobId: 'job-7' }, { status: 202 }));
    const file = new File(['a;b\r\n1;2\r\n'], 'anagrafe.csv', { type: 'text/csv' });
    const result = await uploadImport(
      context,
      { kind: 'REGISTRY', comuneId: COMUNE, file },
      { fetch },
    );
    expect(result).toEqual({ ok: true, jobId: 'job-7' });
    const call = calls[0];
    expect(call?.url).toBe(
      `http://127.0.0.1:4000/uploads/public-welfare/imports/registry?comuneId=${COMUNE}`,
    );
    const headers = call?.init.headers as Record<string, string>;
    expect(call?.init.method).toBe('POST');
    expect(headers['content-type']).toBe('text/csv');
    expect(headers.authorization).toBe('Bearer tok');
    expect(headers['x-request-id']).toBe('req-12345678');
    expect(headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(call?.init.duplex).toBe('half');
    expect(call?.init.body).toBeInstanceOf(ReadableStream);
    expect(call?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('sends no authorization when anonymous and maps the 401', async () => {
    const { fetch, calls } = fakeFetch(
      () =>
        new Response(JSON.stringify(apiError('UNAUTHENTICATED', 'Accedi.', 'Log in.')), {
          status: 401,
        }),
    );
    const file = new File(['x'], 'isee.csv', { type: 'text/csv' });
    const result = await uploadImport(
      { ...context, token: null },
      { kind: 'INCOME', comuneId: COMUNE, file },
      { fetch },
    );
    expect(result).toMatchObject({ ok: false, problem: 'unauthenticated' });
    expect((calls[0]?.init.headers as Record<string, string>).authorization).toBeUndefined();
  });

  it('never throws: a network failure or a non-JSON answer is handled', async () => {
    const file = new File(['x'], 'a.csv');
    const down = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    await expect(
      uploadImport(context, { kind: 'REGISTRY', comuneId: COMUNE, file }, { fetch: down.fetch }),
    ).resolves.toEqual({ ok: false, problem: 'unavailable', error: undefined });
    const html = fakeFetch(() => new Response('<html>Too large</html>', { status: 413 }));
    await expect(
      uploadImport(context, { kind: 'REGISTRY', comuneId: COMUNE, file }, { fetch: html.fetch }),
    ).resolves.toMatchObject({ ok: false, problem: 'tooLarge' });
  });
});
