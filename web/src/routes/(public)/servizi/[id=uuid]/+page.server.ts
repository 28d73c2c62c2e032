import { error } from '@sveltejs/kit';
import { romeToday } from '$lib/dates';
import { OfferQuery } from '$lib/server/offers';
import { OfferBookableDaysQuery } from '$lib/server/operations-bookings';
import { OfferProgrammeQuery } from '$lib/server/operations-tutoring-offers';
import type { PageServerLoad } from './$types';

/** One offer: public while in the catalogue (its provider and the Comune's staff see it always). */
export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await locals.api(OfferQuery, { id: params.id });
  if (result.unavailable) error(503, 'Service unavailable');
  const offer = result.data?.offer;
  if (!offer) error(404, 'Not found');
  if (offer.tutoringProgrammeId) {
    // A tutoring programme: its facts and the way to enrol, never the booking of days.
    const listed = await locals.api(OfferProgrammeQuery, { id: offer.tutoringProgrammeId });
    const programme = listed.data?.tutoringProgramme ?? null;
    // Past its last day the page stays readable (a saved link), saying the programme has ended.
    const ended = programme !== null && programme.endsOn < romeToday();
    return { offer, days: [], programme, ended };
  }
  // The places left on the next bookable days (none when the booking calendar is unavailable).
  const days = await locals.api(OfferBookableDaysQuery, { offerId: offer.id, first: 7 });
  return { offer, days: days.data?.offerBookableDays ?? [], programme: null, ended: false };
};
