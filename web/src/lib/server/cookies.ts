// Cookie names and options in one place. Pure functions: unit-tested in cookies.spec.ts.
import { safeRedirect } from './redirect';

export const SESSION_COOKIE = 'session';
export const SPID_COOKIE = 'spid_login';
export const LANG_COOKIE = 'lang';
/** The password recovery token, moved out of the e-mail link's URL on arrival. */
export const RESET_COOKIE = 'password_reset';
/** Where the recovery link leads (and the only path its cookie is sent to). */
export const RESET_PATH = '/accedi/nuova-password';

export interface CookieOptions {
  path: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'lax' | 'strict';
  expires?: Date;
  maxAge?: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Secure everywhere except plain http on a loopback address (local development and tests). */
export function isSecureContext(url: URL): boolean {
  return url.protocol === 'https:' || !LOOPBACK.has(url.hostname);
}

/** The session cookie: HttpOnly, SameSite=Lax, path /, expires with the session. */
export function sessionCookieOptions(url: URL, expiresAt: string | Date): CookieOptions {
  const expires = expiresAt instanceof Date ? expiresAt : new Date(expiresAt);
  const options: CookieOptions = {
    path: '/',
    httpOnly: true,
    secure: isSecureContext(url),
    sameSite: 'lax',
  };
  // An unparseable date gives a browser-session cookie rather than an invalid header.
  if (!Number.isNaN(expires.getTime())) options.expires = expires;
  return options;
}

/** The short-lived cookie that carries state, nonce and PKCE verifier to the SPID/CIE callback. */
export function spidCookieOptions(url: URL): CookieOptions {
  return {
    path: '/auth/spid',
    httpOnly: true,
    secure: isSecureContext(url),
    sameSite: 'lax',
    maxAge: 600,
  };
}

/** The recovery token's cookie: HttpOnly, only for the new-password page, 30 minutes at most. */
export function resetCookieOptions(url: URL): CookieOptions {
  return {
    path: RESET_PATH,
    httpOnly: true,
    secure: isSecureContext(url),
    sameSite: 'lax',
    maxAge: 30 * 60,
  };
}

/** The language preference: readable by the browser (paraglide reads it there too). */
export function langCookieOptions(url: URL): CookieOptions {
  return {
    path: '/',
    httpOnly: false,
    secure: isSecureContext(url),
    sameSite: 'lax',
    maxAge: 60 * 60 * 24 * 365,
  };
}

export interface SpidLoginState {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectTo: string;
}

export function encodeSpidState(value: SpidLoginState): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * The SPID/CIE login state the callback reads back. The cookie comes from the browser, so its
 * return address is checked again (`safeRedirect`): a forged one gives `/profilo`.
 */
export function decodeSpidState(raw: string | undefined): SpidLoginState | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { state, nonce, codeVerifier, redirectTo } = parsed as Record<string, unknown>;
    if (
      typeof state !== 'string' ||
      typeof nonce !== 'string' ||
      typeof codeVerifier !== 'string' ||
      typeof redirectTo !== 'string'
    ) {
      return null;
    }
    return { state, nonce, codeVerifier, redirectTo: safeRedirect(redirectTo) };
  } catch {
    return null;
  }
}
