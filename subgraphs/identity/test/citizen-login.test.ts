import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/demo/accounts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import {
  startOidcTestProvider,
  type RunningOidcTestProvider,
} from '../src/dev/oidc-test-provider.js';
import { ANONYMOUS, caught, errorCode, setupSuite, type Suite } from './helpers.js';

const CLIENT = { clientId: 'welfare-portal', clientSecret: 'test-secret-0123456789' };
const REDIRECT_URI = 'http://127.0.0.1:3999/auth/callback';

let provider: RunningOidcTestProvider;
let suite: Suite;

beforeAll(async () => {
  provider = await startOidcTestProvider({
    port: 0,
    clients: [{ ...CLIENT, redirectUris: [REDIRECT_URI] }],
  });
  suite = await setupSuite('citizen', { oidc: { issuer: provider.issuer, ...CLIENT } });
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
});
afterAll(async () => {
  await suite.close();
  await provider.close();
});

/** A tiny browser: follows redirects with a cookie jar, fills the form, stops at the callback. */
async function browse(
  authorizationUrl: string,
  fiscalCode: string,
): Promise<{ callbackUrl?: string; page?: { status: number; html: string } }> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  let url = authorizationUrl;
  let submitted = false;
  for (let hop = 0; hop < 15; hop++) {
    if (url.startsWith(REDIRECT_URI)) return { callbackUrl: url };
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookie() } });
    keep(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200 || submitted) return { page: { status: res.status, html } };
    expect(html).toContain('<html lang="it">');
    expect(html).toContain('Accesso di prova SPID/CIE');
    expect(html).toContain('<label for="fiscalCode">Codice fiscale</label>');
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error('no form');
    const post = await fetch(new URL(action, url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ fiscalCode }).toString(),
    });
    keep(post);
    submitted = true;
    if (post.status >= 300 && post.status < 400) {
      url = new URL(post.headers.get('location')!, url).href;
      submitted = false;
      continue;
    }
    return { page: { status: post.status, html: await post.text() } };
  }
  throw new Error('too many redirects');
}

const START = `mutation($input: CitizenLoginStartInput!) { startCitizenLogin(input: $input) { authorizationUrl state nonce codeVerifier } }`;
const COMPLETE = `mutation($input: CitizenLoginCompleteInput!) { completeCitizenLogin(input: $input) {
  token viewer { person { id givenName familyName fiscalCode } } } }`;

interface Start {
  authorizationUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

async function start(): Promise<Start> {
  const result = await suite.run<{ startCitizenLogin: Start }>(START, {
    input: { redirectUri: REDIRECT_URI },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.startCitizenLogin;
}

describe('citizen login through the SPID/CIE-shaped test provider', () => {
  it('builds an authorization URL with PKCE S256, state, nonce and scope openid profile', async () => {
    const s = await start();
    const url = new URL(s.authorizationUrl);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toBe('openid profile');
    expect(url.searchParams.get('state')).toBe(s.state);
    expect(url.searchParams.get('nonce')).toBe(s.nonce);
    expect(url.searchParams.get('code_challenge')).not.toBe(s.codeVerifier);
  });

  it('round trip: a demo citizen logs in as the existing person', async () => {
    const mario = DEMO_ACCOUNTS.find((a) => a.fiscalCode === 'RSSMRA80A01H501U')!;
    const s = await start();
    const { callbackUrl } = await browse(s.authorizationUrl, 'rssmra80a01h501u');
    expect(callbackUrl).toBeDefined();
    const before = await suite.count('person');
    const result = await suite.run(COMPLETE, {
      input: { callbackUrl, state: s.state, nonce: s.nonce, codeVerifier: s.codeVerifier },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.completeCitizenLogin).toMatchObject({
      viewer: {
        person: {
          id: mario.personId,
          givenName: 'Mario',
          familyName: 'Rossi',
          fiscalCode: 'RSSMRA80A01H501U',
        },
      },
    });
    expect(await suite.count('person')).toBe(before);
    const token = (result.data?.completeCitizenLogin as { token: string }).token;
    const caller = await suite.services.sessions.resolve(suite.orm.em.fork(), token);
    expect(caller).toMatchObject({
      kind: 'person',
      personId: mario.personId,
      memberships: [],
      fiscalCode: 'RSSMRA80A01H501U',
    });
  });

  it('creates a new citizen on the first login, and finds them afterwards', async () => {
    const fiscalCode = 'NRENNA99P49A592I';
    const before = await suite.count('person');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await start();
      const { callbackUrl } = await browse(s.authorizationUrl, fiscalCode);
      const session = await suite.services.citizens.complete(suite.orm.em.fork(), ANONYMOUS, {
        callbackUrl: callbackUrl!,
        ...s,
      });
      expect(session.viewer.person).toMatchObject({
        givenName: 'Cittadino',
        familyName: 'Di Prova',
      });
      ids.push(session.viewer.person.id);
    }
    expect(ids[0]).toBe(ids[1]);
    expect(await suite.count('person')).toBe(before + 1);
  });

  it('the provider page refuses an invalid codice fiscale', async () => {
    const s = await start();
    const { page, callbackUrl } = await browse(s.authorizationUrl, 'RSSMRA80A01H501X');
    expect(callbackUrl).toBeUndefined();
    expect(page?.status).toBe(400);
    expect(page?.html).toContain('Codice fiscale non valido');
  });

  it('a wrong state, nonce or verifier, or a replayed code, is UNAUTHENTICATED', async () => {
    const s = await start();
    const { callbackUrl } = await browse(s.authorizationUrl, 'BNCGLI85E52G273A');
    const complete = (overrides: Partial<Start>) =>
      caught(() =>
        suite.services.citizens.complete(suite.orm.em.fork(), ANONYMOUS, {
          callbackUrl: callbackUrl!,
          ...s,
          ...overrides,
        }),
      );
    expect((await complete({ state: 'forged-state' })).code).toBe('UNAUTHENTICATED');
    // The code is spent by the first successful exchange only; a bad verifier or nonce fails.
    const s2 = await start();
    const second = await browse(s2.authorizationUrl, 'BNCGLI85E52G273A');
    expect(
      (
        await caught(() =>
          suite.services.citizens.complete(suite.orm.em.fork(), ANONYMOUS, {
            callbackUrl: second.callbackUrl!,
            ...s2,
            codeVerifier: s.codeVerifier,
          }),
        )
      ).code,
    ).toBe('UNAUTHENTICATED');
    const s3 = await start();
    const third = await browse(s3.authorizationUrl, 'BNCGLI85E52G273A');
    expect(
      (
        await caught(() =>
          suite.services.citizens.complete(suite.orm.em.fork(), ANONYMOUS, {
            callbackUrl: third.callbackUrl!,
            ...s3,
            nonce: 'another-nonce',
          }),
        )
      ).code,
    ).toBe('UNAUTHENTICATED');
    const s4 = await start();
    const fourth = await browse(s4.authorizationUrl, 'BNCGLI85E52G273A');
    const input = { callbackUrl: fourth.callbackUrl!, ...s4 };
    await suite.services.citizens.complete(suite.orm.em.fork(), ANONYMOUS, input);
    expect(
      (await caught(() => suite.services.citizens.complete(suite.orm.em.fork(), ANONYMOUS, input)))
        .code,
    ).toBe('UNAUTHENTICATED');
  });

  it('answers SERVICE_UNAVAILABLE when the provider is down or not configured', async () => {
    const down = await setupSuite('citizen_down', {
      oidc: { issuer: 'http://127.0.0.1:1', ...CLIENT },
    });
    const none = await setupSuite('citizen_none');
    try {
      expect(errorCode(await down.run(START, { input: { redirectUri: REDIRECT_URI } }))).toBe(
        'SERVICE_UNAVAILABLE',
      );
      expect(errorCode(await none.run(START, { input: { redirectUri: REDIRECT_URI } }))).toBe(
        'SERVICE_UNAVAILABLE',
      );
      const input = {
        callbackUrl: `${REDIRECT_URI}?code=x&state=y`,
        state: 'y',
        nonce: 'n',
        codeVerifier: 'v',
      };
      expect(errorCode(await none.run(COMPLETE, { input }))).toBe('SERVICE_UNAVAILABLE');
      expect(errorCode(await down.run(COMPLETE, { input }))).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await down.close();
      await none.close();
    }
  });

  it('refuses a malformed redirect URI as bad input', async () => {
    expect(
      errorCode(await suite.run(START, { input: { redirectUri: 'javascript:alert(1)' } })),
    ).toBe('BAD_USER_INPUT');
  });
});
