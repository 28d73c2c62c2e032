// Setting and clearing the session cookie (the only place that writes it).
import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE, sessionCookieOptions } from './cookies';

export function setSessionCookie(
  cookies: Cookies,
  url: URL,
  session: { token: string; expiresAt: string },
): void {
  cookies.set(SESSION_COOKIE, session.token, sessionCookieOptions(url, session.expiresAt));
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
  const { expires: _expires, ...options } = sessionCookieOptions(url, new Date(0));
  cookies.delete(SESSION_COOKIE, options);
}
