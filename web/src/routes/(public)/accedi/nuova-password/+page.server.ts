import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { RESET_COOKIE, RESET_PATH, resetCookieOptions } from '$lib/server/cookies';
import { failWith, invalid, missing, raw } from '$lib/server/forms';
import { ResetPasswordMutation } from '$lib/server/operations';
import type { Actions, PageServerLoad } from './$types';

const MIN_PASSWORD = 12;
const FIELDS = ['password', 'confirmPassword'] as const;
/** The longest token accepted from a link (the API's own limit). */
const MAX_TOKEN = 200;

/**
 * The page the recovery e-mail links to. The token arrives in the query: it is moved at once into
 * an HttpOnly cookie sent only to this page, and the browser is sent to the same page without it,
 * so the token stays out of the history, of later requests' logs and of any Referer. The page
 * loads nothing from other sites and answers `no-store` and `Referrer-Policy: same-origin` (no
 * referrer ever leaves the site; `no-referrer` would make the browser post the form with
 * `Origin: null`, which SvelteKit's CSRF check refuses); the arrival with the token in the URL
 * answers `no-referrer`.
 */
export const load: PageServerLoad = ({ url, cookies, setHeaders }) => {
  const token = url.searchParams.get('token');
  setHeaders({
    'referrer-policy': token === null ? 'same-origin' : 'no-referrer',
    'cache-control': 'no-store',
  });
  if (token !== null) {
    if (token.length > 0 && token.length <= MAX_TOKEN) {
      cookies.set(RESET_COOKIE, token, resetCookieOptions(url));
    }
    redirect(303, RESET_PATH);
  }
  return { hasLink: Boolean(cookies.get(RESET_COOKIE)) };
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const data = await request.formData();
    const password = raw(data, 'password');
    const confirmPassword = raw(data, 'confirmPassword');
    const values = {};
    const token = cookies.get(RESET_COOKIE);
    if (!token) {
      return fail(400, { linkRefused: true });
    }

    const empty = missing({ password, confirmPassword }, FIELDS);
    if (empty) return invalid(empty, values);
    const fields: Record<string, Localized> = {};
    if (password.length < MIN_PASSWORD) fields.password = both(m.password_too_short);
    if (password !== confirmPassword) fields.confirmPassword = both(m.password_mismatch);
    if (Object.keys(fields).length > 0) {
      return invalid({ message: both(m.form_invalid), fields }, values);
    }

    const result = await locals.api(ResetPasswordMutation, {
      input: { token, newPassword: password },
    });
    if (result.data?.resetPassword !== true) {
      const linkRefused = result.errors.some((e) => e.fields.some((f) => f.field === 'token'));
      if (linkRefused) {
        cookies.delete(RESET_COOKIE, resetCookieOptions(url));
        return fail(400, { linkRefused: true });
      }
      return failWith(result, ['password'], values);
    }
    cookies.delete(RESET_COOKIE, resetCookieOptions(url));
    redirect(303, '/accedi?password=aggiornata');
  },
};
