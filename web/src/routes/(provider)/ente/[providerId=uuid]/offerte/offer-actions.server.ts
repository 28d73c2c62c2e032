// Server parts shared by the offer pages: saving the form, publishing, withdrawing.
import { fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { offerFormField, parseOfferForm, type ParsedOfferForm } from '$lib/offer-form';
import { m } from '$lib/paraglide/messages';
import type { GatewayResult } from '$lib/server/gateway';
import { formFailure } from '$lib/server/errors';
import { failWith } from '$lib/server/forms';

/**
 * The failure of a save: the API's field errors mapped to the form's fields, the portal's own
 * (fractions of a cent, half-filled rows) taking precedence; errors without a form field go to the
 * summary.
 */
export function saveFailure(parsed: ParsedOfferForm, result: GatewayResult<unknown>) {
  if (result.unavailable) return failWith(result, [], parsed.values);
  const fields: Record<string, Localized> = {};
  const extra: Localized[] = [];
  for (const error of result.errors) {
    for (const f of error.fields) {
      const name = offerFormField(f.field, parsed.rows);
      if (name) fields[name] ??= f.message;
      else extra.push(f.message);
    }
  }
  Object.assign(fields, parsed.problems);
  const base = formFailure(result.errors, []);
  const message =
    Object.keys(fields).length > 0 || result.errors.length === 0
      ? both(m.form_invalid)
      : base.message;
  return fail(result.errors[0]?.code === 'NOT_FOUND' ? 404 : 400, {
    failure: {
      message: {
        it: [message.it, ...extra.map((e) => e.it)].join(' '),
        en: [message.en, ...extra.map((e) => e.en)].join(' '),
      },
      fields,
    },
    values: parsed.values,
  });
}

export { parseOfferForm };
