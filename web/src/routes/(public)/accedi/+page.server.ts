import { redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { HOME_PATH } from '$lib/home';
import { m } from '$lib/paraglide/messages';
import { findError } from '$lib/server/errors';
import { failWith, invalid, missing, raw, text } from '$lib/server/forms';
import { LoginMutation } from '$lib/server/operations';
import { safeRedirect } from '$lib/server/redirect';
import { setSessionCookie } from '$lib/server/session';
import { waitMessage } from '$lib/server/wait';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['email', 'password'] as const;

export const load: PageServerLoad = ({ locals, url }) => {
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'), HOME_PATH);
  if (locals.viewer) redirect(303, redirectTo);
  const problem = url.searchParams.get('errore');
  return {
    redirectTo,
    spidError: problem === 'spid' || problem === 'servizio' ? problem : null,
    passwordReset: url.searchParams.get('password') === 'aggiornata',
  };
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const data = await request.formData();
    const email = text(data, 'email');
    const password = raw(data, 'password');
    const redirectTo = safeRedirect(text(data, 'redirectTo'), HOME_PATH);
    const values = { email };

    const empty = missing({ email, password }, FIELDS);
    if (empty) return invalid(empty, values);

    const result = await locals.api(LoginMutation, { input: { email, password } });
    const session = result.data?.login;
    if (!session) {
      const limited = findError(result.errors, 'RATE_LIMITED');
      return failWith(result, FIELDS, values, {
        UNAUTHENTICATED: both(m.login_wrong_credentials),
        RATE_LIMITED: waitMessage(m.login_rate_limited, limited?.retryAfterSeconds),
      });
    }
    setSessionCookie(cookies, url, session);
    redirect(303, redirectTo);
  },
};
