import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ANONYMOUS, type Caller } from '@welfare/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityMutations } from './gateway.js';
import { createSessionResolver, sessionTokenFrom } from './session.js';

describe('sessionTokenFrom', () => {
  it('reads a bearer session token', () => {
    expect(sessionTokenFrom('Bearer abcdefghijklmnopqrstuvwxyz012345')).toBe(
      'abcdefghijklmnopqrstuvwxyz012345',
    );
  });
  it('ignores other schemes and malformed tokens', () => {
    expect(sessionTokenFrom(undefined)).toBeUndefined();
    expect(sessionTokenFrom('Basic abc')).toBeUndefined();
    expect(sessionTokenFrom('Bearer short')).toBeUndefined();
    expect(sessionTokenFrom('Bearer has spaces and ; semicolons ok?')).toBeUndefined();
  });
});

describe('createSessionResolver', () => {
  const person: Caller = {
    kind: 'person',
    personId: '0b7c2d1e-0000-4000-8000-000000000203',
    sessionId: 's1',
    platformAdmin: false,
    memberships: [],
  };
  const token = 'abcdefghijklmnopqrstuvwxyz012345';
  let server: Server;
  let url = '';
  let calls = 0;
  /** The tokens of each call identity received. */
  let batches: string[][] = [];
  let answer: { status: number; caller?: Caller; hang?: boolean; short?: boolean } = {
    status: 200,
    caller: person,
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      calls += 1;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const { tokens } = JSON.parse(Buffer.concat(chunks).toString()) as { tokens: string[] };
        batches.push(tokens);
        if (answer.hang) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        const callers = tokens.map((t) => (t === 'x'.repeat(32) ? ANONYMOUS : answer.caller));
        if (answer.short) callers.pop();
        res.end(JSON.stringify(answer.caller ? { callers } : {}));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  const resolver = (cacheTtlMs: number, clock: { t: number }, cacheMax = 10) =>
    createSessionResolver({
      identityUrl: url,
      sign: () => Promise.resolve('signed'),
      timeoutMs: 1_000,
      cacheTtlMs,
      cacheMax,
      now: () => clock.t,
    });

  it('asks identity once within the TTL, again after it, and again after an eviction', async () => {
    calls = 0;
    answer = { status: 200, caller: person };
    const clock = { t: 1_000 };
    const resolve = resolver(5_000, clock);
    expect((await resolve(token, 'r1')).caller).toEqual(person);
    expect((await resolve(token, 'r2')).caller).toEqual(person);
    expect(calls).toBe(1);
    clock.t += 5_001;
    await resolve(token, 'r3');
    expect(calls).toBe(2);
    resolve.evict(token);
    await resolve(token, 'r4');
    expect(calls).toBe(3);
  });

  it('never caches a failure, and asks every time without a TTL', async () => {
    calls = 0;
    const clock = { t: 0 };
    answer = { status: 503 };
    const cached = resolver(5_000, clock);
    expect(await cached(token, 'r1')).toEqual({ caller: ANONYMOUS, identityUnavailable: true });
    answer = { status: 200, caller: person };
    expect((await cached(token, 'r2')).caller).toEqual(person);
    expect(calls).toBe(2);
    const uncached = resolver(0, clock);
    await uncached(token, 'r3');
    await uncached(token, 'r4');
    expect(calls).toBe(4);
  });

  it('answers anonymous, identity unavailable, when identity does not answer within the timeout', async () => {
    answer = { status: 200, caller: person, hang: true };
    const started = Date.now();
    const resolved = await resolver(5_000, { t: 0 })(token, 'r-slow');
    const elapsed = Date.now() - started;
    answer = { status: 200, caller: person };
    expect(resolved).toEqual({ caller: ANONYMOUS, identityUnavailable: true });
    expect(elapsed).toBeGreaterThanOrEqual(995);
    expect(elapsed).toBeLessThan(2_500);
  });

  it('asks identity once for the lookups of one turn, in batches of 100, once per token', async () => {
    calls = 0;
    batches = [];
    answer = { status: 200, caller: person };
    const resolve = resolver(5_000, { t: 0 }, 1_000);
    const tokens = Array.from({ length: 250 }, (_, i) => `${'t'.repeat(28)}${1000 + i}`);
    const answers = await Promise.all([
      ...tokens.map((t) => resolve(t, 'r')),
      // The same token asked three more times while its lookup is on its way: one lookup.
      resolve(tokens[0], 'r'),
      resolve(tokens[0], 'r'),
      resolve('x'.repeat(32), 'r'),
    ]);
    expect(calls).toBe(3);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 51]);
    expect(new Set(batches.flat()).size).toBe(251);
    expect(answers.slice(0, 252)).toEqual(
      Array.from({ length: 252 }, () => ({ caller: person, identityUnavailable: false })),
    );
    expect(answers[252]).toEqual({ caller: ANONYMOUS, identityUnavailable: false });
    // All cached now.
    await Promise.all(tokens.map((t) => resolve(t, 'r')));
    expect(calls).toBe(3);
  });

  it('answers unavailable to the whole batch when identity answers a wrong number of callers', async () => {
    answer = { status: 200, caller: person, short: true };
    const resolve = resolver(5_000, { t: 0 });
    const answers = await Promise.all(['a', 'b'].map((c) => resolve(c.repeat(32), 'r')));
    answer = { status: 200, caller: person };
    expect(answers).toEqual([
      { caller: ANONYMOUS, identityUnavailable: true },
      { caller: ANONYMOUS, identityUnavailable: true },
    ]);
  });

  it('does not cache an answer that was on its way when the session was evicted', async () => {
    calls = 0;
    answer = { status: 200, caller: person };
    const resolve = resolver(60_000, { t: 0 });
    const pending = resolve(token, 'r1');
    resolve.evict(token); // a logout while identity is being asked
    expect((await pending).caller).toEqual(person);
    await resolve(token, 'r2');
    expect(calls).toBe(2);
  });

  it('keeps at most cacheMax sessions, dropping the oldest', async () => {
    calls = 0;
    answer = { status: 200, caller: person };
    const clock = { t: 0 };
    const resolve = resolver(60_000, clock, 2);
    const tokens = ['a', 'b', 'c'].map((c) => c.repeat(32));
    for (const t of tokens) await resolve(t, 'r');
    expect(calls).toBe(3);
    await resolve(tokens[2], 'r'); // kept
    await resolve(tokens[1], 'r'); // kept
    expect(calls).toBe(3);
    await resolve(tokens[0], 'r'); // dropped: asked again
    expect(calls).toBe(4);
  });
});

describe('identityMutations', () => {
  it('lists the mutations identity resolves, from the committed supergraph', async () => {
    const sdl = await readFile(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
    const names = identityMutations(sdl);
    for (const name of ['login', 'logout', 'completeCitizenLogin', 'acceptInvitation']) {
      expect(names.has(name), name).toBe(true);
    }
    expect(names.has('chargeCard')).toBe(false);
    expect(names.has('topUpCampaign')).toBe(false);
  });
});
