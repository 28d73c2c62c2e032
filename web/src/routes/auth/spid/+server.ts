import { redirect } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { SPID_COOKIE, encodeSpidState, spidCookieOptions } from '$lib/server/cookies';
import { StartCitizenLoginMutation } from '$lib/server/operations';
import { safeRedirect } from '$lib/server/redirect';
import type { RequestHandler } from './$types';

/** Starts a citizen login (SPID/CIE via OpenID Connect) and sends the browser to the provider. */
export const GET: RequestHandler = async ({ locals, cookies, url }) => {
  const redirectUri = `${config().origin}/auth/spid/callback`;
  const result = await locals.api(StartCitizenLoginMutation, { input: { redirectUri } });
  const start = result.data?.startCitizenLogin;
  if (!start) redirect(303, `/accedi?errore=${result.unavailable ? 'servizio' : 'spid'}`);

  const state = encodeSpidState({
    state: start.state,
    nonce: start.nonce,
    codeVerifier: start.codeVerifier,
    redirectTo: safeRedirect(url.searchParams.get('redirectTo')),
  });
  cookies.set(SPID_COOKIE, state, spidCookieOptions(url));
  redirect(303, start.authorizationUrl);
};
