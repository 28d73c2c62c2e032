import { redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, missing, raw } from '$lib/server/forms';
import { AcceptInvitationMutation } from '$lib/server/operations';
import { setSessionCookie } from '$lib/server/session';
import type { Actions } from './$types';

const MIN_PASSWORD = 12;
const FIELDS = ['password', 'confirmPassword'] as const;

export const actions: Actions = {
  default: async ({ request, locals, cookies, params, url }) => {
    const data = await request.formData();
    const password = raw(data, 'password');
    const confirmPassword = raw(data, 'confirmPassword');
    const values = {};

    const empty = missing({ password, confirmPassword }, FIELDS);
    if (empty) return invalid(empty, values);
    const fields: Record<string, Localized> = {};
    if (password.length < MIN_PASSWORD) fields.password = both(m.password_too_short);
    if (password !== confirmPassword) fields.confirmPassword = both(m.password_mismatch);
    if (Object.keys(fields).length > 0) {
      return invalid({ message: both(m.form_invalid), fields }, values);
    }

    const result = await locals.api(AcceptInvitationMutation, {
      input: { token: params.token, password },
    });
    const session = result.data?.acceptInvitation;
    if (!session) {
      const invalidToken = both(m.invite_invalid);
      return failWith(result, FIELDS, values, {
        NOT_FOUND: invalidToken,
        UNAUTHENTICATED: invalidToken,
        CONFLICT: invalidToken,
      });
    }
    setSessionCookie(cookies, url, session);
    redirect(303, '/profilo');
  },
};
