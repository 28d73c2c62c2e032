import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { isSecureContext } from '$lib/server/cookies';
import { RecordIesShareVisitMutation } from '$lib/server/operations-ies-earn';
import type { RequestHandler } from './$types';

/** The visitor's cookie: a random id, so that the same visitor counts once per link and day. */
const VISITOR_COOKIE = 'ies_visitor';

/**
 * A shared link's public landing: counts the visit (the subgraph keeps a hash of the visitor's
 * cookie, one per link and day) and sends the visitor on to the initiative. 404 for an unknown
 * link; the visitor goes on even when the visit could not be counted.
 */
export const GET: RequestHandler = async (event) => {
  const { token } = event.params;
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(token)) error(404, 'Not found');
  let visitor = event.cookies.get(VISITOR_COOKIE);
  if (!visitor || !/^[0-9a-f-]{36}$/.test(visitor)) {
    visitor = randomUUID();
    event.cookies.set(VISITOR_COOKIE, visitor, {
      path: '/condividi',
      httpOnly: true,
      secure: isSecureContext(event.url),
      sameSite: 'lax',
      maxAge: 365 * 24 * 3600,
    });
  }
  const result = await event.locals.api(RecordIesShareVisitMutation, {
    token,
    visitorKey: visitor,
  });
  const url = result.data?.recordIesShareVisit.url;
  if (!url) error(result.unavailable ? 503 : 404, 'Not found');
  redirect(303, url);
};
