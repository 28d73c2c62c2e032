/**
 * A same-site path to go to after login, or the fallback. Refuses absolute URLs, protocol-relative
 * (`//evil`), backslash tricks (`/\evil`), control characters and anything that leaves the origin.
 */
export function safeRedirect(target: unknown, fallback = '/profilo'): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 1000) return fallback;
  if (!target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) {
    return fallback;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return fallback;
  const base = 'http://portal.invalid';
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
