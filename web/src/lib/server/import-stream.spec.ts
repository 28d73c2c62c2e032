import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { streamImport } from './import-stream';

const COMUNE_A = '0b7c2d1e-0000-4000-8000-000000000101';
const COMUNE_B = '0b7c2d1e-0000-4000-8000-000000000102';
const JOB = '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const ORIGIN = 'https://portale.example';

type Role = 'OPERATOR' | 'MANAGER' | 'CITIZEN';

function locals(comuneId: string, role: Role, kind = 'COMUNE'): App.Locals {
  const memberships =
    role === 'CITIZEN'
      ? []
      : [{ role, status: 'ACTIVE', organisation: { id: comuneId, kind, name: 'Comune' } }];
  return {
    requestId: 'req-12345678',
    clientAddress: '203.0.113.7',
    sessionToken: 'tok',
    viewer: { platformAdmin: false, memberships, person: { givenName: 'A', familyName: 'B' } },
    identityUnavailable: false,
  } as unknown as App.Locals;
}

function event(
  who: App.Locals,
  query: string,
  headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'text/csv' },
) {
  const url = new URL(`${ORIGIN}/comune/${COMUNE_A}/importazioni/carica?${query}`);
  const request = new Request(url, { method: 'POST', headers, body: 'a;b\n1;2\n' });
  return { locals: who, url, request };
}

/** A gateway that answers `status` and records what reached it. */
function gateway(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = ((url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return Promise.resolve(Response.json(body, { status }));
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

/** The status of a refusal thrown with SvelteKit's `error`. */
async function refusal(run: Promise<unknown>): Promise<number> {
  try {
    await run;
  } catch (thrown) {
    if (isHttpError(thrown)) return thrown.status;
    throw thrown;
  }
  throw new Error('not refused');
}

describe('streamImport', () => {
  it('pipes the body to the gateway under the page’s job id and answers its id', async () => {
    const api = gateway(202, { jobId: JOB });
    const res = await streamImport(
      event(locals(COMUNE_A, 'OPERATOR'), `tipo=REGISTRY&job=${JOB}`),
      COMUNE_A,
      { fetch: api.fetch },
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ jobId: JOB });
    const call = api.calls[0];
    expect(call?.url).toBe(
      `http://127.0.0.1:4000/uploads/public-welfare/imports/registry?comuneId=${COMUNE_A}&jobId=${JOB}`,
    );
    expect(call?.init.body).toBeInstanceOf(ReadableStream);
    expect((call?.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('answers the gateway’s refusal as a problem with its status', async () => {
    const api = gateway(413, { errors: [] });
    const res = await streamImport(
      event(locals(COMUNE_A, 'MANAGER'), `tipo=INCOME&job=${JOB}`),
      COMUNE_A,
      { fetch: api.fetch },
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ problem: 'tooLarge' });
  });

  it('refuses people who are not staff, staff of another Comune, other sites and bad requests, sending nothing', async () => {
    const api = gateway(202, { jobId: JOB });
    const ok = `tipo=REGISTRY&job=${JOB}`;
    const cases: [App.Locals, string, Record<string, string> | undefined, number][] = [
      [locals(COMUNE_A, 'CITIZEN'), ok, undefined, 403],
      [locals(COMUNE_A, 'OPERATOR', 'COOPERATIVE'), ok, undefined, 403],
      [locals(COMUNE_B, 'OPERATOR'), ok, undefined, 403],
      [
        locals(COMUNE_A, 'OPERATOR'),
        ok,
        { origin: 'https://evil.example', 'content-type': 'text/csv' },
        403,
      ],
      [locals(COMUNE_A, 'OPERATOR'), ok, { 'content-type': 'text/csv' }, 403],
      [locals(COMUNE_A, 'OPERATOR'), `tipo=HOUSEHOLD&job=${JOB}`, undefined, 400],
      [locals(COMUNE_A, 'OPERATOR'), `job=${JOB}`, undefined, 400],
      [locals(COMUNE_A, 'OPERATOR'), 'tipo=REGISTRY&job=abc', undefined, 400],
      [locals(COMUNE_A, 'OPERATOR'), ok, { origin: ORIGIN, 'content-type': 'text/plain' }, 415],
    ];
    for (const [who, query, headers, status] of cases) {
      const run = streamImport(event(who, query, headers), COMUNE_A, { fetch: api.fetch });
      expect(await refusal(run), `${query} ${JSON.stringify(headers)}`).toBe(status);
    }
    expect(api.calls).toHaveLength(0);
  });
});
