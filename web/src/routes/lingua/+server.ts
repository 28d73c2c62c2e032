import { redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/locale';
import { LANG_COOKIE, langCookieOptions } from '$lib/server/cookies';
import { safeRedirect } from '$lib/server/redirect';
import type { RequestHandler } from './$types';

/** The header's language switch: remembers the choice in the `lang` cookie and goes back. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const data = await request.formData();
  const lang = data.get('lang');
  if (isLocale(lang)) cookies.set(LANG_COOKIE, lang, langCookieOptions(url));
  redirect(303, safeRedirect(data.get('redirectTo'), '/'));
};

export const GET: RequestHandler = () => redirect(303, '/');
