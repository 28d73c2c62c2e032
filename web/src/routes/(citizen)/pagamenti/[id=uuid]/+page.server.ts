import { randomUUID } from 'node:crypto';
import { error, fail, redirect } from '@sveltejs/kit';
import { refundableCents } from '$lib/checkout';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { formFailure, statusOf } from '$lib/server/errors';
import { text } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import {
  CancelCheckoutMutation,
  CheckoutQuery,
  RefreshCheckoutMutation,
  RefundCheckoutMutation,
} from '$lib/server/operations-payments';
import { isUuid } from '$lib/uuid';
import type { Actions, PageServerLoad } from './$types';

/**
 * One payment: the receipt (every part, what was given back), printable. While it is not
 * finished, where it is (and the card page, or giving up); once paid, "Annulla e rimborsa" (the
 * booking cancelled with a full refund, what the API lets the person do) after a confirmation.
 */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api(CheckoutQuery, { id: event.params.id });
  const checkout = result.data?.checkout;
  if (!checkout) {
    if (result.errors.some((e) => e.code === 'NOT_FOUND')) error(404, 'Not found');
    error(503, 'Service unavailable');
  }
  const refundable = refundableCents(checkout);
  const outcome = event.url.searchParams.get('esito');
  return {
    checkout,
    refundable,
    confirmRefund: refundable > 0 && event.url.searchParams.get('rimborso') === 'conferma',
    // A new id per confirmation shown: a double submit or a retry refunds once.
    refundId: randomUUID(),
    refunded: outcome === 'rimborsato',
  };
};

const back = (id: string, query = '') => `/pagamenti/${id}${query}`;

export const actions: Actions = {
  refresh: async (event) => {
    requireViewer(event);
    const result = await event.locals.api(RefreshCheckoutMutation, { id: event.params.id });
    if (!result.data?.refreshCheckout) {
      return fail(statusOf(result), { failure: actionFailure(result) });
    }
    redirect(303, back(event.params.id));
  },
  cancel: async (event) => {
    requireViewer(event);
    const result = await event.locals.api(CancelCheckoutMutation, { id: event.params.id });
    if (!result.data?.cancelCheckout) {
      return fail(statusOf(result), { failure: actionFailure(result) });
    }
    redirect(303, back(event.params.id));
  },
  refund: async (event) => {
    requireViewer(event);
    const refundId = text(await event.request.formData(), 'refundId');
    if (!isUuid(refundId)) error(400, 'Bad request');
    const result = await event.locals.api(RefundCheckoutMutation, {
      input: { checkoutId: event.params.id, refundId, cancel: true },
    });
    if (!result.data?.refundCheckout) {
      // No answer in time: the refund may have been made. The retry sends the same id.
      if (result.unavailable || result.outcomeUnknown) {
        return fail(503, { refundUnknown: true, refundId });
      }
      return fail(statusOf(result), { failure: actionFailure(result) });
    }
    redirect(303, back(event.params.id, '?esito=rimborsato'));
  },
};

function actionFailure(result: Parameters<typeof statusOf>[0]) {
  return result.unavailable
    ? both(m.payments_action_unknown)
    : formFailure(result.errors, []).message;
}
