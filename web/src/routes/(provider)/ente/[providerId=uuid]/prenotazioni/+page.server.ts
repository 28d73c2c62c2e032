import { fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { type FormFailure } from '$lib/server/errors';
import { failWith, text } from '$lib/server/forms';
import {
  ConfirmOfferBookingMutation,
  DeclineOfferBookingMutation,
  ProviderOfferBookingsQuery,
} from '$lib/server/offer-bookings';
import { CancelOfferBookingAsProviderMutation } from '$lib/server/operations-bookings';
import { throwIfForbidden } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import { requireProviderAdmin } from '../access';
import type { Actions, PageServerLoad } from './$types';

/** The bookings of the provider's offers (its ADMIN only). */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const { providerId } = event.params;
  const result = await event.locals.api(ProviderOfferBookingsQuery, { providerId });
  throwIfForbidden(result);
  return {
    providerId,
    providerName: membership.organisation.name,
    bookings: result.data?.providerOfferBookings ?? [],
    unavailable: result.unavailable || !result.data?.providerOfferBookings,
  };
};

function refuse(id: string, reason: string, fields: FormFailure['fields'] = {}) {
  const failure: FormFailure = { message: both(m.form_invalid), fields };
  return fail(400, { failure, values: { id, reason } });
}

export const actions: Actions = {
  confirm: async (event) => {
    requireProviderAdmin(event);
    const data = await event.request.formData();
    const id = text(data, 'id');
    if (!isUuid(id)) return refuse(id, '');
    const result = await event.locals.api(ConfirmOfferBookingMutation, { id });
    if (!result.data?.confirmOfferBooking) return failWith(result, [], { id, reason: '' });
    return { done: 'confirmed' as const, id };
  },
  decline: async (event) => {
    requireProviderAdmin(event);
    const data = await event.request.formData();
    const id = text(data, 'id');
    const reason = text(data, 'reason');
    if (!isUuid(id)) return refuse(id, reason);
    if (!reason) return refuse(id, reason, { reason: both(m.booking_error_reason) });
    const result = await event.locals.api(DeclineOfferBookingMutation, { id, reason });
    if (!result.data?.declineOfferBooking) return failWith(result, ['reason'], { id, reason });
    return { done: 'declined' as const, id };
  },
  cancel: async (event) => {
    requireProviderAdmin(event);
    const data = await event.request.formData();
    const id = text(data, 'id');
    const reason = text(data, 'reason');
    if (!isUuid(id)) return refuse(id, reason);
    if (!reason) return refuse(id, reason, { reason: both(m.booking_error_reason) });
    const result = await event.locals.api(CancelOfferBookingAsProviderMutation, { id, reason });
    if (!result.data?.cancelOfferBookingAsProvider)
      return failWith(result, ['reason'], { id, reason });
    return { done: 'cancelled' as const, id };
  },
};
