import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { isLocale } from '$lib/locale';
import { config } from '$lib/server/config';
import { SESSION_COOKIE } from '$lib/server/cookies';
import { findError } from '$lib/server/errors';
import { gatewayRequest } from '$lib/server/gateway';
import { ViewerQuery } from '$lib/server/operations';
import { secureResponse } from '$lib/server/security-headers';
import { clearSessionCookie } from '$lib/server/session';

/** Validates the configuration when the server starts: a bad variable stops it at once. */
export const init: ServerInit = () => {
  config();
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

function clientAddress(getClientAddress: () => string): string | null {
  try {
    return getClientAddress();
  } catch {
    return null;
  }
}

/** Binds the gateway client to the request and asks once who the person is. */
const session: Handle = async ({ event, resolve }) => {
  const incoming = event.request.headers.get('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const address = clientAddress(event.getClientAddress);

  event.locals.requestId = requestId;
  event.locals.clientAddress = address;
  event.locals.sessionToken = event.cookies.get(SESSION_COOKIE) ?? null;
  event.locals.api = (document, variables) =>
    gatewayRequest(
      { token: event.locals.sessionToken, clientAddress: address, requestId },
      document,
      variables,
    );

  const result = await event.locals.api(ViewerQuery);
  event.locals.identityUnavailable = result.unavailable;
  event.locals.viewer = result.data?.viewer ?? null;
  const rejected = findError(result.errors, 'UNAUTHENTICATED') !== undefined;
  const expired = !result.unavailable && result.errors.length === 0 && !event.locals.viewer;
  if (event.locals.sessionToken && (rejected || expired)) {
    clearSessionCookie(event.cookies, event.url);
    event.locals.sessionToken = null;
  }

  const response = await resolve(event);
  response.headers.set('x-request-id', requestId);
  return response;
};

/** The language from the `lang` cookie (Italian by default); `<html lang>` follows it. */
const i18n: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    event.locals.locale = isLocale(locale) ? locale : 'it';
    return resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale),
    });
  });

/**
 * The security headers of every response (pages, actions, errors, redirects, files): the first
 * hook, so it sees what every other hook and route answered. See security-headers.ts.
 */
const securityHeaders: Handle = async ({ event, resolve }) => {
  const hadSession = event.cookies.get(SESSION_COOKIE) !== undefined;
  const response = await resolve(event);
  return secureResponse(response, {
    tls: event.url.protocol === 'https:',
    hstsMaxAgeS: config().hstsMaxAgeS,
    signedIn: hadSession || Boolean(event.locals.viewer),
    routeId: event.route.id,
    formTargets: { stripeConnect: config().stripeConnectOrigin },
    imageOrigin: config().mapTiles?.origin ?? null,
  });
};

export const handle = sequence(securityHeaders, session, i18n);

/** Unexpected errors: logged with the request id; the page shows a friendly text, no internals. */
export const handleError: HandleServerError = ({ error, event, status }) => {
  const requestId = event.locals.requestId;
  if (status !== 404) {
    console.error(`[web] ${requestId ?? '-'} ${event.request.method} ${event.url.pathname}`, error);
  }
  return { message: 'Internal error', requestId };
};
