import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroAmount } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { bookingIdOf, refundableCents } from '$lib/provider-payments';
import { config } from '$lib/server/config';
import type { FormFailure } from '$lib/server/errors';
import { failWith, text } from '$lib/server/forms';
import { ProviderOfferBookingsQuery } from '$lib/server/offer-bookings';
import {
  ProviderPaymentsQuery,
  RefundPaymentMutation,
  StartPaymentOnboardingMutation,
} from '$lib/server/operations-provider-payments';
import { throwIfForbidden } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import { requireProviderAdmin } from '../access';
import type { Actions, PageServerLoad } from './$types';

/** How a refund's reason may be (the API keeps up to 500 characters). */
const REASON_MAX = 500;

/** Where Stripe sent the admin back: `return` (done, or left) or `refresh` (the link expired). */
function onboardingStep(url: URL): 'return' | 'refresh' | null {
  const step = url.searchParams.get('onboarding');
  return step === 'return' || step === 'refresh' ? step : null;
}

/** The provider's payments: its Stripe account, the payments received, refunds (its ADMINs). */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const { providerId } = event.params;
  const [payments, bookings] = await Promise.all([
    event.locals.api(ProviderPaymentsQuery, { organisationId: providerId }),
    event.locals.api(ProviderOfferBookingsQuery, { providerId }),
  ]);
  throwIfForbidden(payments, bookings);
  // The payer as the API shows the provider: the codice fiscale of the booking's citizen.
  const byId = new Map((bookings.data?.providerOfferBookings ?? []).map((b) => [b.id, b]));
  const checkouts = (payments.data?.payeeCheckouts ?? []).map((checkout) => {
    const booking = byId.get(bookingIdOf(checkout.payableRef) ?? '');
    return {
      ...checkout,
      // A fresh id per page view: a retried form refunds once (the API is idempotent by it).
      refundId: randomUUID(),
      refundableCents: refundableCents(checkout),
      booking: booking
        ? {
            offerTitle: booking.offerTitle,
            serviceDate: booking.serviceDate,
            citizenFiscalCode: booking.citizenFiscalCode,
          }
        : null,
    };
  });
  return {
    providerId,
    providerName: membership.organisation.name,
    account: payments.data?.paymentAccount ?? null,
    checkouts,
    onboarding: onboardingStep(event.url),
    unavailable: payments.unavailable || !payments.data,
    bookingsUnavailable: bookings.unavailable || !bookings.data,
  };
};

export const actions: Actions = {
  /** Starts or resumes the Stripe onboarding and sends the admin to Stripe's page. */
  onboard: async (event) => {
    requireProviderAdmin(event);
    const { providerId } = event.params;
    const result = await event.locals.api(StartPaymentOnboardingMutation, {
      organisationId: providerId,
    });
    throwIfForbidden(result);
    const url = result.data?.startPaymentOnboarding.url;
    if (!url) return failWith(result, [], { form: 'onboard' });
    // Only to Stripe's onboarding pages (the page's form-action allows that origin alone).
    if (new URL(url).origin !== config().stripeConnectOrigin) {
      const failure: FormFailure = {
        message: both(m.provider_payments_onboard_failed),
        fields: {},
      };
      return fail(502, { failure, values: { form: 'onboard' } });
    }
    redirect(303, url);
  },

  /** Gives part or all of a paid payment back (split over its parts by the API). */
  refund: async (event) => {
    requireProviderAdmin(event);
    const data = await event.request.formData();
    const checkoutId = text(data, 'checkoutId');
    const refundId = text(data, 'refundId');
    const amount = text(data, 'amount');
    const reason = text(data, 'reason');
    const confirmed = text(data, 'confirm') === 'yes';
    const values = { form: 'refund', checkoutId, refundId, amount, reason };
    if (!isUuid(checkoutId) || !isUuid(refundId)) {
      return fail(400, { failure: { message: both(m.form_invalid), fields: {} }, values });
    }
    const fields: Record<string, Localized> = {};
    // More than what remains paid is the API's to say (it knows what was refunded meanwhile).
    const parsed = parseEuroAmount(amount, Number.MAX_SAFE_INTEGER);
    if (!amount) fields.amountCents = both(m.required_field);
    else if ('problem' in parsed) {
      fields.amountCents =
        parsed.problem === 'negative'
          ? both(m.provider_payments_refund_positive)
          : both(m.provider_payments_refund_amount_format);
    } else if (parsed.cents <= 0) fields.amountCents = both(m.provider_payments_refund_positive);
    if (!reason) fields.reason = both(m.required_field);
    else if (reason.length > REASON_MAX)
      fields.reason = both(m.provider_payments_refund_reason_long);
    if (!confirmed) fields.confirm = both(m.provider_payments_refund_confirm_required);
    if (Object.keys(fields).length > 0 || 'problem' in parsed) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(RefundPaymentMutation, {
      input: { checkoutId, refundId, amountCents: parsed.cents, reason, cancel: false },
    });
    if (!result.data?.refundCheckout) {
      return failWith(result, ['amountCents', 'reason'], values);
    }
    return { refunded: { checkoutId, amountCents: parsed.cents } };
  },
};
