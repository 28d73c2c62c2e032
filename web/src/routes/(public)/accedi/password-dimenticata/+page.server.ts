import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { findError } from '$lib/server/errors';
import { failWith, invalid, missing, text } from '$lib/server/forms';
import { RequestPasswordResetMutation } from '$lib/server/operations';
import { waitMessage } from '$lib/server/wait';
import type { Actions } from './$types';

const FIELDS = ['email'] as const;

export const actions: Actions = {
  /** Asks for a recovery link; the answer is the same whether the e-mail is known or not. */
  default: async ({ request, locals }) => {
    const data = await request.formData();
    const email = text(data, 'email');
    const values = { email };
    const empty = missing({ email }, FIELDS);
    if (empty) return invalid(empty, values);

    const result = await locals.api(RequestPasswordResetMutation, { input: { email } });
    if (result.data?.requestPasswordReset !== true) {
      const limited = findError(result.errors, 'RATE_LIMITED');
      return failWith(result, FIELDS, values, {
        BAD_USER_INPUT: both(m.form_invalid),
        RATE_LIMITED: waitMessage(m.reset_request_rate_limited, limited?.retryAfterSeconds),
      });
    }
    return { sent: true, values };
  },
};
