import { redirect } from '@sveltejs/kit';
import { failWith, text } from '$lib/server/forms';
import { CancelBookingMutation, MyTutoringBookingsQuery } from '$lib/server/tutoring';
import type { Actions, PageServerLoad } from './$types';

/** The family's tutoring lessons: seats and waitlist places, cancellable ones, the calendar. */
export const load: PageServerLoad = async (event) => {
  const result = await event.locals.api(MyTutoringBookingsQuery, {});
  return {
    bookings: result.data?.myTutoringBookings ?? [],
    cancelled: event.url.searchParams.get('esito') === 'disdetta',
    unavailable: result.unavailable || !result.data?.myTutoringBookings,
    calendarUnavailable: event.url.searchParams.get('esito') === 'non-disponibile',
  };
};

export const actions: Actions = {
  cancel: async (event) => {
    const data = await event.request.formData();
    const values = { bookingId: text(data, 'bookingId') };
    const result = await event.locals.api(CancelBookingMutation, { id: values.bookingId });
    if (!result.data?.cancelTutoringBooking) return failWith(result, [], values);
    redirect(303, '/prenotazioni?esito=disdetta');
  },
};
