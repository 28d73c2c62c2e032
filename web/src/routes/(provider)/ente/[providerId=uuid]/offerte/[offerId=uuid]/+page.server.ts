import { error, redirect } from '@sveltejs/kit';
import { offerFormValues } from '$lib/offer-form';
import { OfferQuery, UpdateOfferMutation } from '$lib/server/offers';
import { requireProviderAdmin } from '../../access';
import { parseOfferForm, saveFailure } from '../offer-actions.server';
import type { Actions, PageServerLoad } from './$types';

/** One of the provider's offers, in the form (404 for another provider's). */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const { providerId, offerId } = event.params;
  const result = await event.locals.api(OfferQuery, { id: offerId });
  if (result.unavailable) error(503, 'Service unavailable');
  const offer = result.data?.offer;
  if (!offer || offer.providerId !== providerId) error(404, 'Not found');
  return {
    providerId,
    providerName: membership.organisation.name,
    offer: { id: offer.id, title: offer.title, status: offer.status, comune: offer.comune },
    values: offerFormValues(offer),
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireProviderAdmin(event);
    const { providerId, offerId } = event.params;
    const parsed = parseOfferForm(await event.request.formData());
    const result = await event.locals.api(UpdateOfferMutation, {
      id: offerId,
      input: parsed.input as never,
    });
    const updated = result.data?.updateOffer;
    if (!updated || Object.keys(parsed.problems).length > 0) return saveFailure(parsed, result);
    redirect(303, `/ente/${providerId}/offerte?fatto=salvata`);
  },
};
