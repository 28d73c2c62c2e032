import { randomUUID } from 'node:crypto';
import { error, fail, redirect } from '@sveltejs/kit';
import { type SplitProblem, fundField, parseSplit, splitFieldOf } from '$lib/checkout';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { formatEuroInput } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { DEFAULT_MESSAGES } from '$lib/server/errors';
import { text } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import { CheckoutOptionsQuery, StartCheckoutMutation } from '$lib/server/operations-payments';
import { isUuid } from '$lib/uuid';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const PROBLEM: Record<SplitProblem, () => Localized> = {
  amount: () => both(m.checkout_error_amount),
  tooMuch: () => both(m.checkout_error_too_much),
  overPrice: () => both(m.checkout_error_over_price),
  cardUnavailable: () => both(m.checkout_error_card_unavailable),
  cardMinimum: () => both(m.checkout_error_card_minimum),
};

/** What can pay the booking (NOT_FOUND unless it is the person's). */
async function optionsOf(event: RequestEvent) {
  const result = await event.locals.api(CheckoutOptionsQuery, {
    payableRef: `offer-booking:${event.params.id}`,
  });
  const options = result.data?.checkoutOptions ?? null;
  if (!options) {
    if (result.errors.some((e) => e.code === 'NOT_FOUND')) error(404, 'Not found');
    error(503, 'Service unavailable');
  }
  return options;
}

/**
 * The checkout of a booking: the amount, each fund that can pay and how much, the default split
 * (editable), the card for the rest. The checkout's id is chosen when the page is shown (a hidden
 * field): a double submit or a retry after an unknown outcome pays once.
 */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const options = await optionsOf(event);
  const proposed = (owner: string, fundId: string) =>
    options.proposed.find((p) => p.kind === 'FUND' && p.owner === owner && p.fundId === fundId)
      ?.amountCents ?? 0;
  return {
    bookingId: event.params.id,
    options,
    defaults: options.funds.map((f) => formatEuroInput(proposed(f.owner, f.fundId))),
    checkoutId: randomUUID(),
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const checkoutId = text(data, 'checkoutId');
    if (!isUuid(checkoutId)) error(400, 'Bad request');
    const options = await optionsOf(event);
    const amounts = options.funds.map((_, i) => text(data, fundField(i)));
    const values = { checkoutId, amounts };
    const split = parseSplit(amounts, options.funds, options.amountCents, options);
    if ('problems' in split) {
      // Nothing was asked of the API: the same checkout id stays valid.
      const fields: Record<string, Localized> = {};
      for (const [field, problem] of Object.entries(split.problems)) {
        if (problem) fields[field] = PROBLEM[problem]();
      }
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(StartCheckoutMutation, {
      input: {
        checkoutId,
        payableRef: `offer-booking:${event.params.id}`,
        parts: split.parts,
      },
    });
    const checkout = result.data?.startCheckout;
    if (!checkout) {
      // No answer in time, or the service is down: the checkout may have started. The retry sends
      // the same id and the same split, so it is paid once.
      if (result.unavailable || result.outcomeUnknown) {
        return fail(503, { unknown: true, values });
      }
      const fields: Record<string, Localized> = {};
      const extra: Localized[] = [];
      for (const e of result.errors) {
        for (const f of e.fields) {
          const field = splitFieldOf(f.field);
          if (field) fields[field] ??= f.message;
          else extra.push(f.message);
        }
      }
      const first = result.errors[0];
      const message =
        Object.keys(fields).length > 0
          ? both(m.form_invalid)
          : (first?.messages ?? DEFAULT_MESSAGES.INTERNAL_SERVER_ERROR);
      // Refused: a new id for the next try (this one may be recorded as refused).
      return fail(first?.code === 'CONFLICT' ? 409 : 400, {
        failure: {
          message: {
            it: [message.it, ...extra.map((x) => x.it)].join(' '),
            en: [message.en, ...extra.map((x) => x.en)].join(' '),
          },
          fields,
        },
        values: { checkoutId: '', amounts },
      });
    }
    if (checkout.status === 'FAILED') {
      return fail(409, {
        failed: { reason: checkout.failureReason ?? null, checkoutId: checkout.id },
        values: { checkoutId: '', amounts },
      });
    }
    // AWAITING_CARD: the payment's page, whose button opens Stripe's card page. Not a redirect
    // to Stripe from here: the portal's Content-Security-Policy (`form-action 'self'`) makes the
    // browser refuse a form post's redirect to another origin. PAID, or still moving: the same
    // page shows where it is.
    redirect(303, `/pagamenti/${checkout.id}`);
  },
};
