import { describe, expect, it } from 'vitest';
import {
  decodeSpidState,
  encodeSpidState,
  isSecureContext,
  langCookieOptions,
  sessionCookieOptions,
  spidCookieOptions,
} from './cookies';

describe('cookie options', () => {
  it('session cookie: HttpOnly, Lax, path /, expires with the session, Secure on https', () => {
    const options = sessionCookieOptions(
      new URL('https://welfare.example/accedi'),
      '2030-01-01T00:00:00.000Z',
    );
    expect(options).toEqual({
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      expires: new Date('2030-01-01T00:00:00.000Z'),
    });
  });

  it('is not Secure only on plain http to a loopback host', () => {
    expect(isSecureContext(new URL('http://localhost:3000/'))).toBe(false);
    expect(isSecureContext(new URL('http://127.0.0.1:3000/'))).toBe(false);
    expect(isSecureContext(new URL('http://welfare.example/'))).toBe(true);
    expect(isSecureContext(new URL('https://localhost/'))).toBe(true);
  });

  it('drops an invalid expiry instead of sending a bad header', () => {
    expect(
      sessionCookieOptions(new URL('https://x.example'), 'not a date').expires,
    ).toBeUndefined();
  });

  it('SPID cookie lives 10 minutes on /auth/spid only', () => {
    expect(spidCookieOptions(new URL('https://x.example'))).toMatchObject({
      path: '/auth/spid',
      httpOnly: true,
      sameSite: 'lax',
      maxAge: 600,
    });
  });

  it('language cookie is readable by the browser', () => {
    expect(langCookieOptions(new URL('https://x.example')).httpOnly).toBe(false);
  });
});

describe('SPID state cookie value', () => {
  it('round-trips', () => {
    const value = { state: 's', nonce: 'n', codeVerifier: 'v', redirectTo: '/profilo' };
    expect(decodeSpidState(encodeSpidState(value))).toEqual(value);
  });

  it('checks the return address again: a forged cookie cannot send the person away', () => {
    for (const redirectTo of ['/..//evil.example', '//evil.example', 'https://evil.example']) {
      const raw = encodeSpidState({ state: 's', nonce: 'n', codeVerifier: 'v', redirectTo });
      expect(decodeSpidState(raw)?.redirectTo).toBe('/profilo');
    }
  });

  it('rejects junk', () => {
    expect(decodeSpidState(undefined)).toBeNull();
    expect(decodeSpidState('%%%')).toBeNull();
    expect(decodeSpidState(Buffer.from('{"state":1}').toString('base64url'))).toBeNull();
  });
});
