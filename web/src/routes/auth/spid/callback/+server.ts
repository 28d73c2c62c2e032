import { redirect } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { SPID_COOKIE, decodeSpidState, spidCookieOptions } from '$lib/server/cookies';
import { CompleteCitizenLoginMutation } from '$lib/server/operations';
import { setSessionCookie } from '$lib/server/session';
import type { RequestHandler } from './$types';

/** The provider sends the browser back here: exchange the code for a session. */
export const GET: RequestHandler = async ({ locals, cookies, url }) => {
  const saved = decodeSpidState(cookies.get(SPID_COOKIE));
  const { maxAge: _maxAge, ...options } = spidCookieOptions(url);
  cookies.delete(SPID_COOKIE, options);
  if (!saved) redirect(303, '/accedi?errore=spid');

  const callbackUrl = `${config().origin}${url.pathname}${url.search}`;
  const result = await locals.api(CompleteCitizenLoginMutation, {
    input: {
      callbackUrl,
      state: saved.state,
      nonce: saved.nonce,
      codeVerifier: saved.codeVerifier,
    },
  });
  const session = result.data?.completeCitizenLogin;
  if (!session) redirect(303, `/accedi?errore=${result.unavailable ? 'servizio' : 'spid'}`);

  setSessionCookie(cookies, url, session);
  // A same-site path: `decodeSpidState` checked the cookie's address again (`safeRedirect`).
  redirect(303, saved.redirectTo);
};
