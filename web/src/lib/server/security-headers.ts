// The security headers of every portal response (pages, form actions, errors, redirects, files),
// set in one place: the `securityHeaders` hook in hooks.server.ts calls `secureResponse`.
//
// What is sent, and why:
// - Content-Security-Policy. Pages: SvelteKit's own (`kit.csp` in svelte.config.js, mode
//   'auto': a fresh nonce per rendered page for its inline start-up script, no other inline
//   script): default-src 'self'; script-src 'self' + nonce; style-src 'self' (no inline styles:
//   the portal's styles are files; the one inline style attribute Svelte writes itself, the
//   route announcer's, is allowed by its hash); img-src 'self' data: (the card's QR code is a
//   data: image; Bootstrap Italia's CSS draws icons as data: SVGs); font-src 'self' data: (its
//   CSS embeds Video.js's icon font; a font runs nothing); connect-src 'self';
//   object-src 'none'; base-uri 'self'; form-action 'self' (every form posts to the portal; SPID
//   starts from a link, not a form, so the provider needs no entry; the provider's payments page
//   also allows Stripe's Connect origin, `FORM_TARGET_ROUTES`: its onboarding button posts to the
//   portal, which redirects to Stripe, and browsers apply form-action to that redirect too;
//   links to it load it as a new document, `data-sveltekit-reload`, as a client-side navigation
//   keeps the policy of the page it started from);
//   frame-ancestors 'none'.
//   When the maps' tiles come from another server (MAP_TILE_URL), every page's img-src also
//   names that origin (`imageOrigin`): every page, as a client-side navigation to a page with a
//   map keeps the policy of the page it started from; images run nothing.
//   SvelteKit sets no policy on other responses (files, redirects, JSON): they get
//   `FILE_POLICY`, which lets nothing load or run if a file is opened in the browser.
// - X-Frame-Options: DENY, for browsers without frame-ancestors (the till, card and case pages
//   must not be framed: clickjacking).
// - X-Content-Type-Options: nosniff: a file is what its type says (an uploaded document is never
//   run as HTML or script).
// - Referrer-Policy: strict-origin-when-cross-origin. Addresses carry ids and filters, so other
//   sites (the SPID provider, linked sites) get the origin only, and nothing over plain http.
//   Not no-referrer: with it browsers send `Origin: null` on form posts, and SvelteKit's CSRF
//   check would refuse every form.
// - Permissions-Policy: camera, microphone, geolocation and payment denied to every page and
//   frame, except the camera for the portal itself on the till's page (`CAMERA_ROUTES`, where
//   QrScanner reads the card's QR code). Links to the till load it as a new document, so the
//   till's policy applies (a policy belongs to a document, not to a client-side navigation).
// - Cross-Origin-Opener-Policy: same-origin: a page opened from another site (or opening one)
//   shares no window handle with it. Cross-Origin-Resource-Policy: same-origin: no other site
//   can embed the portal's files (cards, receipts).
// - Strict-Transport-Security: max-age from HSTS_MAX_AGE_S; includeSubDomains, only on requests
//   that came over TLS: the request URL is https when ORIGIN is https, or when adapter-node's
//   PROTOCOL_HEADER names the trusted proxy's header (x-forwarded-proto). A header the client
//   sends itself is not trusted.
// - Cache-Control: no-store on every response to a signed-in person (session cookie or viewer),
//   on every response that sets a cookie, and on every file (CSV, PDF, XML, calendar, images,
//   anything not a page or its data), whoever asks: nothing personal stays in a shared cache or
//   in the browser's cache of a shared computer.

/** The till's page: the only route whose document may use the camera. */
export const CAMERA_ROUTES: ReadonlySet<string> = new Set([
  '/(merchant)/esercente/[merchantId=uuid]/cassa',
]);

/**
 * Pages whose forms end on another site through the portal's redirect, with the origin each may
 * send to (the key of `SecurityContext.formTargets`).
 */
export const FORM_TARGET_ROUTES: Readonly<Record<string, 'stripeConnect'>> = {
  '/(provider)/ente/[providerId=uuid]/pagamenti': 'stripeConnect',
};

/** The policy of every response that is not a page SvelteKit rendered. */
export const FILE_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const DENIED_FEATURES = ['camera', 'microphone', 'geolocation', 'payment'] as const;

/** What the headers depend on, from the request. */
export interface SecurityContext {
  /** The request came over TLS (its URL is https: ORIGIN, or a trusted proxy's header). */
  tls: boolean;
  /** Strict-Transport-Security max-age in seconds. */
  hstsMaxAgeS: number;
  /** The request carried a session cookie, or the portal knew the person. */
  signedIn: boolean;
  /** The SvelteKit route id, when a route matched. */
  routeId: string | null;
  /** Other sites the pages of `FORM_TARGET_ROUTES` may send a form to (origins). */
  formTargets?: { stripeConnect: string };
  /** Another origin the pages' images may come from (the map tiles' server). */
  imageOrigin?: string | null;
}

/** The page's policy with the map tiles' origin added to img-src (see the top). */
function withImageOrigin(policy: string, context: SecurityContext): string {
  if (!context.imageOrigin) return policy;
  return policy.replace(/img-src 'self'/, `img-src 'self' ${context.imageOrigin}`);
}

/** The page's policy with the route's form target added to form-action (see the top). */
function withFormTarget(policy: string, context: SecurityContext): string {
  const target = context.routeId === null ? undefined : FORM_TARGET_ROUTES[context.routeId];
  const origin = target ? context.formTargets?.[target] : undefined;
  if (!origin) return policy;
  return policy.replace(/form-action 'self'/, `form-action 'self' ${origin}`);
}

/** The Permissions-Policy of a route: everything denied, the camera allowed on the till. */
export function permissionsPolicy(routeId: string | null): string {
  const camera = routeId !== null && CAMERA_ROUTES.has(routeId);
  return DENIED_FEATURES.map((feature) =>
    feature === 'camera' && camera ? 'camera=(self)' : `${feature}=()`,
  ).join(', ');
}

/** A page or its data (HTML, SvelteKit's JSON), as opposed to a file someone downloads. */
function isPageOrData(headers: Headers): boolean {
  if (headers.has('content-disposition')) return false;
  const type = headers.get('content-type');
  if (type === null) return true; // redirects and empty answers
  const mime = type.split(';')[0]!.trim().toLowerCase();
  return mime === 'text/html' || mime === 'application/json';
}

/** Sets the security headers on `headers` (see the comment at the top of this file). */
export function applySecurityHeaders(headers: Headers, context: SecurityContext): void {
  const policy = headers.get('content-security-policy');
  if (policy === null) headers.set('content-security-policy', FILE_POLICY);
  else
    headers.set(
      'content-security-policy',
      withImageOrigin(withFormTarget(policy, context), context),
    );
  headers.set('x-frame-options', 'DENY');
  headers.set('x-content-type-options', 'nosniff');
  // A page may ask for a stricter policy (the new-password page: `same-origin`, `no-referrer`).
  if (!headers.has('referrer-policy')) {
    headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  }
  headers.set('permissions-policy', permissionsPolicy(context.routeId));
  headers.set('cross-origin-opener-policy', 'same-origin');
  headers.set('cross-origin-resource-policy', 'same-origin');
  if (context.tls) {
    headers.set('strict-transport-security', `max-age=${context.hstsMaxAgeS}; includeSubDomains`);
  }
  if (context.signedIn || headers.has('set-cookie') || !isPageOrData(headers)) {
    headers.set('cache-control', 'no-store');
  }
}

/**
 * The response with its security headers. A response whose headers cannot change (one passed on
 * from `fetch`) is copied first.
 */
export function secureResponse(response: Response, context: SecurityContext): Response {
  try {
    applySecurityHeaders(response.headers, context);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    applySecurityHeaders(copy.headers, context);
    return copy;
  }
}
