import { fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import { CancelOfferBookingMutation, MyOfferBookingsQuery } from '$lib/server/offer-bookings';
import { isUuid } from '$lib/uuid';
import type { Actions, PageServerLoad } from './$types';

/** The citizen's bookings of catalogue offers (any logged-in person sees their own). */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api(MyOfferBookingsQuery, {});
  const booked = event.url.searchParams.get('prenotata');
  return {
    bookings: result.data?.myOfferBookings ?? [],
    unavailable: result.unavailable || !result.data?.myOfferBookings,
    justBooked: booked && isUuid(booked) ? booked : null,
  };
};

export const actions: Actions = {
  cancel: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const id = text(data, 'id');
    if (!isUuid(id)) {
      return fail(400, { failure: { message: both(m.form_invalid), fields: {} }, values: { id } });
    }
    const result = await event.locals.api(CancelOfferBookingMutation, { id });
    if (!result.data?.cancelOfferBooking) return failWith(result, [], { id });
    return { cancelled: id };
  },
};
