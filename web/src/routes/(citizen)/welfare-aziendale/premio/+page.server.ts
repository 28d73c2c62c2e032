import { fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroCents } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import {
  BonusQuoteQuery,
  MyBonusQuery,
  RequestBonusMutation,
} from '$lib/server/operations-corporate-bonus';
import type { Actions, PageServerLoad } from './$types';

/**
 * The fields of the form, named as the API's input (so its field errors land on them); the
 * amounts are typed in euro as people write them.
 */
const FIELDS = ['planId', 'bonusCents', 'convertedCents', 'priorYearIncomeCents'] as const;
type Field = (typeof FIELDS)[number];

/** The employee's plans that allow conversion, and their requests. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api(MyBonusQuery, {});
  return {
    plans: result.data?.myBonusConvertiblePlans ?? [],
    conversions: result.data?.myBonusConversions ?? [],
    unavailable: result.unavailable || !result.data,
    notice: event.url.searchParams.get('esito') === 'inviata' ? 'sent' : null,
  };
};

/** The form's values and the API's input, or the fields the portal itself refuses. */
async function read(request: Request) {
  const data = await request.formData();
  const values = Object.fromEntries(FIELDS.map((f) => [f, text(data, f)])) as Record<Field, string>;
  const fields: Record<string, Localized> = {};
  if (!values.planId) fields.planId = both(m.required_field);
  const cents = (name: Exclude<Field, 'planId'>) => {
    const parsed = parseEuroCents(values[name]);
    if (parsed === null) fields[name] = both(m.cw_bonus_error_amount);
    return parsed ?? 0;
  };
  const input = {
    planId: values.planId,
    bonusCents: cents('bonusCents'),
    convertedCents: cents('convertedCents'),
    priorYearIncomeCents: cents('priorYearIncomeCents'),
  };
  return { values, input, fields };
}

export const actions: Actions = {
  /** Shows net cash against credit; nothing is asked yet. */
  quote: async (event) => {
    requireViewer(event);
    const { values, input, fields } = await read(event.request);
    if (Object.keys(fields).length > 0) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(BonusQuoteQuery, { input });
    const quote = result.data?.bonusConversionQuote;
    if (!quote) return failWith(result, [...FIELDS], values);
    return { quote, values };
  },
  /** Sends the request to HR, with the comparison it was shown. */
  request: async (event) => {
    requireViewer(event);
    const { values, input, fields } = await read(event.request);
    if (Object.keys(fields).length > 0) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(RequestBonusMutation, { input });
    if (!result.data?.requestBonusConversion) {
      return failWith(result, [...FIELDS], values, { CONFLICT: both(m.cw_bonus_error_pending) });
    }
    return { sent: true, values: {} as Record<string, string> };
  },
};
