import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import svelteConfig, { ANNOUNCER_STYLE_HASH } from '../../../svelte.config.js';
import {
  CAMERA_ROUTES,
  FILE_POLICY,
  type SecurityContext,
  applySecurityHeaders,
  permissionsPolicy,
  secureResponse,
} from './security-headers';

const TILL = '/(merchant)/esercente/[merchantId=uuid]/cassa';
const PAGE_POLICY = "default-src 'self'; script-src 'self' 'nonce-abc'; frame-ancestors 'none'";

const anonymous: SecurityContext = {
  tls: false,
  hstsMaxAgeS: 31536000,
  signedIn: false,
  routeId: '/(public)',
};

function headersOf(init: Record<string, string>, context: SecurityContext): Headers {
  const headers = new Headers(init);
  applySecurityHeaders(headers, context);
  return headers;
}

describe('applySecurityHeaders', () => {
  it('sets the fixed headers on every response', () => {
    const h = headersOf({}, anonymous);
    expect(Object.fromEntries(h)).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
  });

  it("keeps a page's policy (SvelteKit's, with its nonce) and gives the rest one that runs nothing", () => {
    const page = headersOf(
      { 'content-type': 'text/html', 'content-security-policy': PAGE_POLICY },
      anonymous,
    );
    expect(page.get('content-security-policy')).toBe(PAGE_POLICY);
    const file = headersOf({ 'content-type': 'text/csv' }, anonymous);
    expect(file.get('content-security-policy')).toBe(FILE_POLICY);
    expect(FILE_POLICY).toContain("default-src 'none'");
    expect(FILE_POLICY).toContain("frame-ancestors 'none'");
  });

  it("adds the map tiles' origin to img-src of pages, and of nothing else", () => {
    const policy = "default-src 'self'; img-src 'self' data:; form-action 'self'";
    const context = { ...anonymous, imageOrigin: 'https://tile.openstreetmap.org' };
    const page = headersOf({ 'content-security-policy': policy }, context);
    expect(page.get('content-security-policy')).toBe(
      "default-src 'self'; img-src 'self' https://tile.openstreetmap.org data:; form-action 'self'",
    );
    expect(
      headersOf({ 'content-security-policy': policy }, anonymous).get('content-security-policy'),
    ).toBe(policy);
    expect(headersOf({}, context).get('content-security-policy')).toBe(FILE_POLICY);
  });

  it("lets the provider's payments page send its form to Stripe's onboarding, and no other page", () => {
    const policy = "default-src 'self'; form-action 'self'; frame-ancestors 'none'";
    const formTargets = { stripeConnect: 'https://connect.stripe.com' };
    const payments = headersOf(
      { 'content-security-policy': policy },
      { ...anonymous, routeId: '/(provider)/ente/[providerId=uuid]/pagamenti', formTargets },
    );
    expect(payments.get('content-security-policy')).toBe(
      "default-src 'self'; form-action 'self' https://connect.stripe.com; frame-ancestors 'none'",
    );
    const other = headersOf(
      { 'content-security-policy': policy },
      { ...anonymous, routeId: '/(provider)/ente/[providerId=uuid]/prenotazioni', formTargets },
    );
    expect(other.get('content-security-policy')).toBe(policy);
    // A file of that route keeps the policy that lets nothing run.
    const file = headersOf(
      {},
      { ...anonymous, routeId: '/(provider)/ente/[providerId=uuid]/pagamenti', formTargets },
    );
    expect(file.get('content-security-policy')).toBe(FILE_POLICY);
  });

  it('lets an anonymous page, its data and a redirect be cached', () => {
    for (const type of ['text/html; charset=utf-8', 'application/json', null]) {
      const h = headersOf(type ? { 'content-type': type } : {}, anonymous);
      expect(h.get('cache-control'), String(type)).toBeNull();
    }
  });

  it('never stores a signed-in response, one that sets a cookie, or a file', () => {
    const signedIn = headersOf({ 'content-type': 'text/html' }, { ...anonymous, signedIn: true });
    expect(signedIn.get('cache-control')).toBe('no-store');
    const cookie = headersOf({ 'set-cookie': 'spid_login=x; Path=/auth/spid' }, anonymous);
    expect(cookie.get('cache-control')).toBe('no-store');
    for (const type of [
      'text/csv; charset=utf-8',
      'application/pdf',
      'application/xml',
      'text/calendar',
      'image/png',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]) {
      const file = headersOf({ 'content-type': type, 'cache-control': 'max-age=3600' }, anonymous);
      expect(file.get('cache-control'), type).toBe('no-store');
    }
    // An attachment is a file whatever its type says.
    const attachment = headersOf(
      { 'content-type': 'text/html', 'content-disposition': 'attachment; filename="x.html"' },
      anonymous,
    );
    expect(attachment.get('cache-control')).toBe('no-store');
  });

  it('sends HSTS only on a request that came over TLS', () => {
    expect(headersOf({}, anonymous).get('strict-transport-security')).toBeNull();
    const tls = headersOf({}, { ...anonymous, tls: true, hstsMaxAgeS: 600 });
    expect(tls.get('strict-transport-security')).toBe('max-age=600; includeSubDomains');
  });
});

describe('permissionsPolicy', () => {
  it('allows the camera to the till only', () => {
    expect(permissionsPolicy(TILL)).toBe(
      'camera=(self), microphone=(), geolocation=(), payment=()',
    );
    for (const route of [null, '/(merchant)/esercente/[merchantId=uuid]/convenzioni', '/']) {
      expect(permissionsPolicy(route)).toBe('camera=(), microphone=(), geolocation=(), payment=()');
    }
  });

  it('lists every page that uses the QR scanner', () => {
    const routes = join(dirname(fileURLToPath(import.meta.url)), '../../routes');
    const users = (readdirSync(routes, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.svelte'))
      .filter((file) => readFileSync(join(routes, file), 'utf8').includes('QrScanner'))
      .map(
        (file) =>
          `/${relative(routes, join(routes, dirname(file)))
            .split(sep)
            .join('/')}`,
      );
    expect(users.length).toBeGreaterThan(0);
    expect(new Set(users)).toEqual(CAMERA_ROUTES);
  });
});

describe('secureResponse', () => {
  it('copies a response whose headers cannot change (one passed on from fetch)', () => {
    const redirect = Response.redirect('https://portal.example/profilo', 303);
    const secured = secureResponse(redirect, anonymous);
    expect(secured.status).toBe(303);
    expect(secured.headers.get('location')).toBe('https://portal.example/profilo');
    expect(secured.headers.get('x-frame-options')).toBe('DENY');
  });

  it('sets the headers in place otherwise', () => {
    const response = new Response('ok', { headers: { 'content-type': 'text/html' } });
    expect(secureResponse(response, anonymous)).toBe(response);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe("the pages' policy (kit.csp in svelte.config.js)", () => {
  const csp = svelteConfig.kit?.csp;
  const directives = csp?.directives ?? {};

  it('has SvelteKit add a nonce or hash: no inline script, no eval', () => {
    expect(['auto', 'nonce']).toContain(csp?.mode);
    expect(directives['script-src']).toEqual(['self']);
    expect(directives['default-src']).toEqual(['self']);
  });

  it('allows no inline style, plugin, foreign form target, base or framing', () => {
    expect(directives['style-src']).toEqual(['self']);
    expect(directives['style-src-attr']).toEqual(['unsafe-hashes', ANNOUNCER_STYLE_HASH]);
    expect(directives['object-src']).toEqual(['none']);
    expect(directives['form-action']).toEqual(['self']);
    expect(directives['base-uri']).toEqual(['self']);
    expect(directives['frame-ancestors']).toEqual(['none']);
    expect(directives['connect-src']).toEqual(['self']);
  });
});

describe('the route announcer hash', () => {
  it("is the hash of the installed SvelteKit's announcer style", () => {
    const kit = dirname(createRequire(import.meta.url).resolve('@sveltejs/kit/package.json'));
    const root = readFileSync(join(kit, 'src/core/sync/write_root.js'), 'utf8');
    const style = /id="svelte-announcer"[^>]*\sstyle="([^"]+)"/.exec(root)?.[1];
    expect(style).toBeTruthy();
    const hash = createHash('sha256').update(style!, 'utf8').digest('base64');
    expect(ANNOUNCER_STYLE_HASH).toBe(`sha256-${hash}`);
  });
});
