// Return addresses (`redirectTo`): where a person goes after logging in, switching language or
// coming back from SPID/CIE. Every path that redirects to an address the request chose goes
// through `safeRedirect`; pages that send a person to log in build the address with `loginPath`.

/** A base no real request has: only the path of the resolved address is kept. */
const BASE = 'http://portal.invalid';
const BASE_ORIGIN = new URL(BASE).origin;

/** Longer than any address of the portal (a path with a query string of filters). */
const MAX_LENGTH = 1000;

// eslint-disable-next-line no-control-regex
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

/** A slash or backslash written as `%2F` / `%5C`: no page of the portal has one in its path. */
const ENCODED_SEPARATOR = /%(2f|5c)/i;

/**
 * A same-site path to go to, normalised, or the fallback. The address is resolved first (dot
 * segments, `%2e`, tabs and newlines removed by the URL parser) and checked afterwards: it must
 * stay on the origin, and its path must not start with `//` or `/\` (which a browser reads as
 * another host). So `/..//evil.example`, `/a/..//x`, `/%2e%2e//x` and `https://evil.example`
 * all give the fallback. Absolute URLs, control characters, backslashes and encoded slashes in
 * the path are refused outright.
 */
export function safeRedirect(target: unknown, fallback = '/profilo'): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > MAX_LENGTH) {
    return fallback;
  }
  if (!target.startsWith('/') || CONTROL_OR_BACKSLASH.test(target)) return fallback;
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE_ORIGIN) return fallback;
  const path = url.pathname;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return fallback;
  if (ENCODED_SEPARATOR.test(path)) return fallback;
  return `${path}${url.search}${url.hash}`;
}

/**
 * The login page that brings the person back to `back` afterwards (normalised here too, so a
 * request for `//evil.example` never travels as a return address).
 */
export function loginPath(back: string): string {
  return `/accedi?redirectTo=${encodeURIComponent(safeRedirect(back))}`;
}
