import { redirect } from '@sveltejs/kit';
import { LogoutMutation } from '$lib/server/operations';
import { clearSessionCookie } from '$lib/server/session';
import type { RequestHandler } from './$types';

/** The header's "Esci" button: revoke the session server-side, forget the cookie, go home. */
export const POST: RequestHandler = async ({ locals, cookies, url }) => {
  if (locals.sessionToken) await locals.api(LogoutMutation);
  clearSessionCookie(cookies, url);
  redirect(303, '/');
};

export const GET: RequestHandler = () => redirect(303, '/');
