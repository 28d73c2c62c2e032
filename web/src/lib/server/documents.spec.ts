import { describe, expect, it } from 'vitest';
import { documentOutcome, documentUploadUrl, uploadDocument } from './documents';

const context = { token: 'tok', clientAddress: '203.0.113.7', requestId: 'req-12345678' };
const APPLICATION = '0b7c2d1e-0000-4000-8000-00000000a001';

function apiError(code: string, it: string, en: string, field?: string) {
  return {
    errors: [
      {
        message: en,
        extensions: {
          code,
          messages: { it, en },
          ...(field ? { fields: [{ field, message: { it, en } }] } : {}),
        },
      },
    ],
  };
}

function fakeFetch(respond: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return respond();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('documentUploadUrl', () => {
  it('derives the route from the GraphQL URL and encodes the parameters', () => {
    const url = documentUploadUrl('http://127.0.0.1:4000/graphql', {
      applicationId: APPLICATION,
      code: 'DOCUMENTO_IDENTITA',
      name: 'carta identità & co.pdf',
    });
    expect(url.origin).toBe('http://127.0.0.1:4000');
    expect(url.pathname).toBe('/uploads/public-welfare/files/documents');
    expect(url.searchParams.get('applicationId')).toBe(APPLICATION);
    expect(url.searchParams.get('code')).toBe('DOCUMENTO_IDENTITA');
    expect(url.searchParams.get('name')).toBe('carta identità & co.pdf');
  });
});

describe('documentOutcome', () => {
  it('reads the id of a stored document', () => {
    expect(documentOutcome(201, { documentId: 'doc-1' })).toEqual({
      ok: true,
      documentId: 'doc-1',
    });
    expect(documentOutcome(201, {})).toMatchObject({ ok: false, problem: 'unavailable' });
  });

  it('maps refusals to problems, keeping the API error and its field messages', () => {
    const wrongType = documentOutcome(
      400,
      apiError('BAD_USER_INPUT', 'Solo PDF.', 'Only PDF.', 'file'),
    );
    expect(wrongType).toMatchObject({
      ok: false,
      problem: 'invalid',
      error: {
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'file', message: { it: 'Solo PDF.', en: 'Only PDF.' } }],
      },
    });
    expect(documentOutcome(413, null)).toMatchObject({ problem: 'tooLarge' });
    expect(documentOutcome(409, apiError('CONFLICT', 'No.', 'No.'))).toMatchObject({
      problem: 'conflict',
    });
    expect(documentOutcome(401, null)).toMatchObject({ problem: 'unauthenticated' });
    expect(documentOutcome(403, null)).toMatchObject({ problem: 'forbidden' });
    expect(documentOutcome(404, null)).toMatchObject({ problem: 'notFound' });
  });

  it('treats gateway and proxy failures as unavailable', () => {
    for (const status of [429, 500, 502, 503, 504]) {
      expect(documentOutcome(status, null)).toMatchObject({ ok: false, problem: 'unavailable' });
    }
  });
});

describe('uploadDocument', () => {
  it('streams the file with its name, the session and the request id', async () => {
    const { fetch, calls } = fakeFetch(() => Response.json({ documentId: 'd-7' }, { status: 201 }));
    const file = new File(['%PDF-1.4\n'], 'documento.pdf', { type: 'application/pdf' });
    const result = await uploadDocument(
      context,
      { applicationId: APPLICATION, code: 'DOCUMENTO_IDENTITA', file },
      { fetch },
    );
    expect(result).toEqual({ ok: true, documentId: 'd-7' });
    const call = calls[0];
    const url = new URL(call?.url ?? '');
    expect(url.pathname).toBe('/uploads/public-welfare/files/documents');
    expect(url.searchParams.get('name')).toBe('documento.pdf');
    expect(url.searchParams.get('code')).toBe('DOCUMENTO_IDENTITA');
    const headers = call?.init.headers as Record<string, string>;
    expect(call?.init.method).toBe('POST');
    expect(call?.init.body).toBeInstanceOf(ReadableStream);
    expect((call?.init as { duplex?: string }).duplex).toBe('half');
    expect(headers['content-type']).toBe('application/pdf');
    expect(headers.authorization).toBe('Bearer tok');
    expect(headers['x-request-id']).toBe('req-12345678');
    expect(headers['x-forwarded-for']).toBe('203.0.113.7');
  });

  it('sends no authorization when anonymous and a generic type when none is declared', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(null, { status: 401 }));
    const result = await uploadDocument(
      { ...context, token: null },
      { applicationId: APPLICATION, code: 'X', file: new Blob(['x']) },
      { fetch },
    );
    expect(result).toMatchObject({ ok: false, problem: 'unauthenticated' });
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers.authorization).toBeUndefined();
    expect(headers['content-type']).toBe('application/octet-stream');
    expect(new URL(calls[0]?.url ?? '').searchParams.get('name')).toBe('documento');
  });

  it('never throws: a network failure or a non-JSON answer is handled', async () => {
    const file = new File(['x'], 'a.pdf');
    const down = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    await expect(
      uploadDocument(context, { applicationId: APPLICATION, code: 'X', file }, down),
    ).resolves.toEqual({ ok: false, problem: 'unavailable', error: undefined });
    const html = fakeFetch(() => new Response('<html>Too large</html>', { status: 413 }));
    await expect(
      uploadDocument(context, { applicationId: APPLICATION, code: 'X', file }, html),
    ).resolves.toMatchObject({ ok: false, problem: 'tooLarge' });
  });
});
