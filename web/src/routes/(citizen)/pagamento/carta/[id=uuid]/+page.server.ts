import { error, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { requireViewer } from '$lib/server/guards';
import {
  CancelCheckoutMutation,
  MyCheckoutsQuery,
  RefreshCheckoutMutation,
} from '$lib/server/operations-payments';
import { formFailure } from '$lib/server/errors';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The person's checkout whose card part is this card payment (404 when none is theirs). */
async function checkoutOfCardPayment(event: RequestEvent) {
  const result = await event.locals.api(MyCheckoutsQuery, {});
  if (!result.data) error(503, 'Service unavailable');
  const found = result.data.myCheckouts.find((c) =>
    c.legs.some((leg) => leg.kind === 'CARD' && leg.id === event.params.id),
  );
  if (!found) error(404, 'Not found');
  return found;
}

/**
 * Where Stripe's card page sends the person back (`?esito=ok` after paying, `annullato` from its
 * cancel link). After paying, the checkout is taken on at once (without waiting for Stripe's
 * notice) and the person sees its result. Back without paying, the page offers to return to the
 * card page or to give up (a POST: a link followed never undoes a payment by itself).
 */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const checkout = await checkoutOfCardPayment(event);
  const cancelled = event.url.searchParams.get('esito') === 'annullato';
  if (cancelled && checkout.status === 'AWAITING_CARD') return { checkout };
  if (checkout.status !== 'PAID' && checkout.status !== 'FAILED') {
    // The result page says where it is if this does not finish it (or gets no answer).
    await event.locals.api(RefreshCheckoutMutation, { id: checkout.id });
  }
  redirect(303, `/pagamenti/${checkout.id}`);
};

export const actions: Actions = {
  cancel: async (event) => {
    requireViewer(event);
    const checkout = await checkoutOfCardPayment(event);
    const result = await event.locals.api(CancelCheckoutMutation, { id: checkout.id });
    if (!result.data?.cancelCheckout) {
      if (result.unavailable) return fail(503, { failure: both(m.payments_action_unknown) });
      // Too late to give up (the card was paid meanwhile): the result page says what happened.
      if (result.errors.some((e) => e.code === 'CONFLICT'))
        redirect(303, `/pagamenti/${checkout.id}`);
      return fail(400, { failure: formFailure(result.errors, []).message });
    }
    redirect(303, `/pagamenti/${checkout.id}`);
  },
};
