// Issue 14, items 1 and 2, through the running portal: the security headers of a public page, a
// signed-in page, a download, a redirect, an error and a form action; hostile return addresses on
// every path that redirects (login form, /accedi, the SPID start and return); and the portal in a
// browser under its Content-Security-Policy (hydrates, no violation, camera only on the till).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  demoEmail,
} from '../support/demo.js';
import { login } from '../support/graphql.js';
import { LOGIN_STEP_TIMEOUT_MS, logInStaff } from '../support/login.js';
import { openPortal, type Portal } from '../support/portal.js';

const SHOP = DEMO_ORG.daRosa;
const TILL = `/esercente/${SHOP}/cassa`;

/** Return addresses an attacker would try: none may leave the portal. */
const HOSTILE = [
  'https://evil.example/',
  '//evil.example/x',
  '/..//evil.example',
  '/.//evil.example',
  '/a/..//evil.example',
  '/%2e%2e//evil.example',
  '/.%2e//evil.example',
  '/%2F%2Fevil.example',
  '/%5c%5cevil.example',
  '/\\evil.example',
  '/%2e%2e%5c/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\u2215\u2215evil.example',
  '/\uff0f\uff0fevil.example',
  `/${'../'.repeat(400)}/evil.example`,
];

/** A Location a browser follows to the portal itself, never to another host. */
function expectSameSite(location: string | null, web: string, what: string): void {
  expect(location, what).toBeTruthy();
  expect(location!.startsWith('/'), `${what}: ${location}`).toBe(true);
  expect(location!.startsWith('//'), `${what}: ${location}`).toBe(false);
  expect(location!.startsWith('/\\'), `${what}: ${location}`).toBe(false);
  // eslint-disable-next-line no-control-regex
  expect(location, what).not.toMatch(/\\|[\u0000-\u001f]/);
  expect(new URL(location!, web).origin, `${what}: ${location}`).toBe(new URL(web).origin);
}

/** The `spid_login` cookie's saved return address, from a Set-Cookie header. */
function savedReturn(response: Response): string | undefined {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('spid_login='));
  const value = cookie?.split(';')[0]?.slice('spid_login='.length);
  if (!value) return undefined;
  const state = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as {
    redirectTo: string;
  };
  return state.redirectTo;
}

describe('security headers and return addresses', () => {
  let portal: Portal;
  let web: string;
  let staffToken: string;
  let cashierToken: string;

  beforeAll(async () => {
    // Headers and redirects only: the worker's shared platform (support/shared-platform.ts).
    portal = await openPortal({ shared: true });
    web = portal.web;
    const gateway = portal.platform.urls.gateway;
    staffToken = (await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD)).token;
    cashierToken = (await login(gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD)).token;
  });
  afterAll(async () => {
    await portal?.close();
  });

  /**
   * One request to the portal as a browser makes it (`accept: text/html`: SvelteKit answers an
   * action asked with any type as an enhanced form's JSON), redirects not followed.
   */
  function request(
    path: string,
    options: {
      token?: string;
      method?: string;
      form?: Record<string, string>;
      accept?: string;
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? 'text/html' };
    if (options.token) headers.cookie = `session=${options.token}`;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = web;
    }
    return fetch(`${web}${path}`, {
      method: options.method ?? (options.form ? 'POST' : 'GET'),
      headers,
      redirect: 'manual',
      ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
    });
  }

  /** The headers every response carries, whoever asks for whatever. */
  function expectBaseHeaders(response: Response, what: string): void {
    const h = response.headers;
    expect(h.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
    expect(h.get('x-frame-options'), what).toBe('DENY');
    expect(h.get('x-content-type-options'), what).toBe('nosniff');
    expect(h.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
    expect(h.get('permissions-policy'), what).toBe(
      'camera=(), microphone=(), geolocation=(), payment=()',
    );
    expect(h.get('cross-origin-opener-policy'), what).toBe('same-origin');
    expect(h.get('cross-origin-resource-policy'), what).toBe('same-origin');
    // The test portal is served over plain http: no HSTS.
    expect(h.get('strict-transport-security'), what).toBeNull();
  }

  /** A page's policy: SvelteKit's nonce for its start-up script, nothing inline otherwise. */
  async function expectPagePolicy(response: Response, what: string): Promise<void> {
    const policy = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      policy.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src'), what).toEqual(["'self'"]);
    const scripts = directives.get('script-src') ?? [];
    expect(scripts[0], what).toBe("'self'");
    expect(scripts.slice(1), what).toEqual([expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]+'$/)]);
    expect(directives.get('style-src'), what).not.toContain("'unsafe-inline'");
    expect(directives.get('object-src'), what).toEqual(["'none'"]);
    expect(directives.get('base-uri'), what).toEqual(["'self'"]);
    expect(directives.get('form-action'), what).toEqual(["'self'"]);
    expect(directives.get('connect-src'), what).toEqual(["'self'"]);
    expect(directives.get('img-src'), what).toEqual(["'self'", 'data:']);
    // Every inline script of the page carries this response's nonce; no inline style attribute.
    const nonce = scripts[1]!.slice("'nonce-".length, -1);
    const html = await response.text();
    const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)([^>]*)>/g)].filter(
      ([, attributes]) => !attributes!.includes('type="application/json"'),
    );
    expect(inline.length, what).toBeGreaterThan(0);
    for (const [, attributes] of inline) expect(attributes, what).toContain(`nonce="${nonce}"`);
    expect(html, what).not.toMatch(/<[^>]+\sstyle=/);
  }

  it('sets them on a public page, which stays cacheable', async () => {
    for (const path of ['/', '/accedi', `/misure/${DEMO_CAMPAIGN_ID}`]) {
      const response = await request(path);
      expect(response.status, path).toBe(200);
      expectBaseHeaders(response, path);
      await expectPagePolicy(response, path);
      expect(response.headers.get('cache-control') ?? '', path).not.toContain('no-store');
    }
    // A forwarded protocol the portal was not told to trust (PROTOCOL_HEADER) gives no HSTS.
    const forwarded = await fetch(`${web}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expectBaseHeaders(forwarded, '/ (x-forwarded-proto: https)');
    await forwarded.arrayBuffer();
    // Two responses, two nonces.
    const [a, b] = await Promise.all([request('/'), request('/')]);
    expect(a.headers.get('content-security-policy')).not.toBe(
      b.headers.get('content-security-policy'),
    );
  });

  it('sets them on a signed-in page, with no-store; the camera only on the till', async () => {
    const profile = await request('/profilo', { token: staffToken });
    expect(profile.status).toBe(200);
    expectBaseHeaders(profile, '/profilo');
    await expectPagePolicy(profile, '/profilo');
    expect(profile.headers.get('cache-control')).toBe('no-store');

    const registry = await request(`/comune/${DEMO_COMUNE_ID}/anagrafe`, { token: staffToken });
    expect(registry.status).toBe(200);
    expect(registry.headers.get('cache-control')).toBe('no-store');

    const till = await request(TILL, { token: cashierToken });
    expect(till.status).toBe(200);
    expect(till.headers.get('permissions-policy')).toBe(
      'camera=(self), microphone=(), geolocation=(), payment=()',
    );
    expect(till.headers.get('cache-control')).toBe('no-store');
    await expectPagePolicy(till, TILL);
    // The till's page data (client-side navigation) and form actions are the till's too.
    const action = await request(`${TILL}?/verify`, { token: cashierToken, form: { card: '' } });
    expect(action.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(action.headers.get('x-frame-options')).toBe('DENY');
    expect(action.headers.get('cache-control')).toBe('no-store');
  });

  it('sets them on a download, with no-store and a policy that runs nothing', async () => {
    const path = `/comune/${DEMO_COMUNE_ID}/anagrafe/esporta?iseeMax=10.000`;
    const file = await request(path, { token: staffToken });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expectBaseHeaders(file, path);
    expect(file.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(file.headers.get('cache-control')).toBe('no-store');
    await file.arrayBuffer();

    // Anonymous: sent to log in, with the headers too.
    const anonymous = await request(path);
    expect(anonymous.status).toBe(303);
    expectBaseHeaders(anonymous, `${path} (anonymous)`);
  });

  it('sets them on redirects, errors, form actions and the SPID start', async () => {
    const cases: [string, Promise<Response>, number][] = [
      ['anonymous /profilo', request('/profilo'), 303],
      ['missing page', request('/non-esiste'), 404],
      ['language switch', request('/lingua', { form: { lang: 'en', redirectTo: '/' } }), 303],
      [
        'wrong password',
        request('/accedi', { form: { email: 'nessuno@example.org', password: 'x' } }),
        401,
      ],
      ['SPID start', request('/auth/spid'), 303],
      ['logout', request('/esci', { form: {} }), 303],
    ];
    for (const [what, pending, status] of cases) {
      const response = await pending;
      expect(response.status, what).toBe(status);
      expectBaseHeaders(response, what);
      await response.arrayBuffer();
    }
    // A response that sets a cookie is never stored (here the SPID state), nor a signed-in one.
    const spid = await request('/auth/spid');
    expect(spid.headers.get('cache-control')).toBe('no-store');
    const missing = await request('/non-esiste', { token: staffToken });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps hostile return addresses on the portal: login form, /accedi, SPID start', async () => {
    const email = demoEmail('COMUNE', 'OPERATOR');
    for (const redirectTo of HOSTILE) {
      const what = JSON.stringify(redirectTo).slice(0, 60);
      const posted = await request('/accedi', {
        form: { email, password: DEMO_PASSWORD, redirectTo },
      });
      expect(posted.status, `login form ${what}`).toBe(303);
      expectSameSite(posted.headers.get('location'), web, `login form ${what}`);
      // The same form posted by an enhanced page: the address comes back in the JSON.
      const enhanced = await request('/accedi', {
        form: { email, password: DEMO_PASSWORD, redirectTo },
        accept: 'application/json',
      });
      const answer = (await enhanced.json()) as { type: string; location?: string };
      expect(answer.type, `enhanced login form ${what}`).toBe('redirect');
      expectSameSite(answer.location ?? null, web, `enhanced login form ${what}`);

      const query = `?redirectTo=${encodeURIComponent(redirectTo)}`;
      const signedIn = await request(`/accedi${query}`, { token: staffToken });
      expect(signedIn.status, `GET /accedi ${what}`).toBe(303);
      expectSameSite(signedIn.headers.get('location'), web, `GET /accedi ${what}`);

      // The login page offers the same address to its form and to the SPID link.
      const page = await request(`/accedi${query}`);
      const offered = /name="redirectTo" value="([^"]*)"/.exec(await page.text())?.[1];
      expectSameSite(offered ?? null, web, `login page ${what}`);

      const spid = await request(`/auth/spid${query}`);
      expect(spid.status, `SPID start ${what}`).toBe(303);
      expectSameSite(savedReturn(spid) ?? null, web, `SPID start ${what}`);
    }
    // A same-site address still works, normalised.
    const normal = await request(`/accedi?redirectTo=${encodeURIComponent('/a/../profilo')}`, {
      token: staffToken,
    });
    expect(normal.headers.get('location')).toBe('/profilo');
  });

  it('checks the SPID return again: a forged saved address lands on the profile', async () => {
    const page = await portal.page();
    const oidc = portal.platform.urls.oidc;
    const step = { timeout: LOGIN_STEP_TIMEOUT_MS };
    for (const forged of ['/..//evil.example', '//evil.example', '/%2e%2e//evil.example']) {
      await page.goto(`${web}/accedi`, step);
      await page.getByTestId('login-spid').click(step);
      await page.waitForURL((url) => url.href.startsWith(oidc), step);
      // The browser's cookie is the attacker's to change: rewrite the saved return address.
      const cookie = (await page.context().cookies(`${web}/auth/spid/callback`)).find(
        (c) => c.name === 'spid_login',
      );
      expect(cookie, 'spid_login cookie').toBeDefined();
      const state = JSON.parse(Buffer.from(cookie!.value, 'base64url').toString('utf8')) as {
        redirectTo: string;
      };
      const value = Buffer.from(JSON.stringify({ ...state, redirectTo: forged })).toString(
        'base64url',
      );
      await page.context().addCookies([{ ...cookie!, value }]);

      const callback = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/auth/spid/callback',
        step,
      );
      await page.getByLabel('Codice fiscale').fill(DEMO_CITIZEN.fiscalCode, step);
      await page.getByRole('button', { name: 'Entra' }).click(step);
      const response = await callback;
      expect(response.status(), forged).toBe(303);
      expectSameSite(await response.headerValue('location'), web, `SPID return ${forged}`);
      expect(await response.headerValue('location')).toBe('/profilo');
      await page.waitForURL(`${web}/profilo`, step);
      await page.context().clearCookies();
    }
  });

  describe('in a browser, under the policy', () => {
    /** Policy violations the page reported (console and `securitypolicyviolation` events). */
    function watchViolations(page: Page): string[] {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Permissions policy/i.test(message.text())) {
          violations.push(`${page.url()}: ${message.text()}`);
        }
      });
      page.on('pageerror', (error) => violations.push(`${page.url()}: ${error.message}`));
      return violations;
    }

    /** Whether the page's document may use the camera (Chromium's feature policy API). */
    const cameraAllowed = (page: Page) =>
      page.evaluate(() =>
        (
          document as Document & { featurePolicy?: { allowsFeature(f: string): boolean } }
        ).featurePolicy!.allowsFeature('camera'),
      );

    it('hydrates, logs in and navigates with no violation', async () => {
      const page = await portal.page();
      const violations = watchViolations(page);
      // `goto` waits for hydration (`<html data-hydrated>`): a blocked script would time out.
      await page.goto(`${web}/`);
      await page.goto(`${web}/misure/${DEMO_CAMPAIGN_ID}`);
      await logInStaff(page, web, demoEmail('COMUNE', 'MANAGER'));
      await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);
      await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/misure/${DEMO_CAMPAIGN_ID}/cruscotto`);
      // A client-side navigation (the header's link) runs under the same policy.
      await page.getByTestId('nav-profilo').click();
      await page.waitForURL(`${web}/profilo`);
      // The route announcer Svelte writes after a client-side navigation is styled, not blocked.
      await expect
        .poll(() => page.evaluate(() => document.getElementById('svelte-announcer')?.offsetWidth))
        .toBe(1);
      expect(await cameraAllowed(page)).toBe(false);
      expect(violations).toEqual([]);
    });

    it('lets the till, and only the till, use the camera', async () => {
      const page = await portal.staffPage(demoEmail('MERCHANT', 'CASHIER'));
      const violations = watchViolations(page);
      expect(await cameraAllowed(page)).toBe(false);
      // Reached through the shop's link: the till is loaded as a document with its own policy.
      await page.goto(`${web}/esercente`);
      await page.getByTestId('nav-esercente-cassa').first().click();
      await page.waitForURL(`${web}${TILL}`);
      await page.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'));
      expect(await cameraAllowed(page)).toBe(true);
      // The scanner's button shows once the page has checked for a camera.
      await page.getByTestId('qr-scan-start').waitFor();
      expect(violations).toEqual([]);
    });
  });
});
