import { fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import {
  ProviderOffersQuery,
  PublishOfferMutation,
  WithdrawOfferMutation,
} from '$lib/server/offers';
import { RequestOfferRepublicationMutation } from '$lib/server/operations-comune-review';
import { throwIfForbidden } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import { requireProviderAdmin } from '../access';
import type { Actions, PageServerLoad } from './$types';

/** The provider's offers, in every status. */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const { providerId } = event.params;
  const result = await event.locals.api(ProviderOffersQuery, { providerId });
  throwIfForbidden(result);
  const done = event.url.searchParams.get('fatto');
  return {
    providerId,
    providerName: membership.organisation.name,
    offers: result.data?.providerOffers ?? [],
    unavailable: result.unavailable || !result.data?.providerOffers,
    done:
      done === 'pubblicata' || done === 'ritirata' || done === 'salvata' || done === 'richiesta'
        ? done
        : null,
  };
};

async function step(
  event: Parameters<Actions[string]>[0],
  kind: 'publish' | 'withdraw' | 'republish',
) {
  requireProviderAdmin(event);
  const data = await event.request.formData();
  const offerId = text(data, 'offerId');
  if (!isUuid(offerId)) {
    return fail(400, { failure: { message: both(m.form_invalid), fields: {} }, offerId });
  }
  const done = kind === 'publish' ? 'pubblicata' : kind === 'withdraw' ? 'ritirata' : 'richiesta';
  const result =
    kind === 'publish'
      ? await event.locals.api(PublishOfferMutation, { id: offerId })
      : kind === 'withdraw'
        ? await event.locals.api(WithdrawOfferMutation, { id: offerId })
        : await event.locals.api(RequestOfferRepublicationMutation, { id: offerId });
  if (!result.data) {
    const failed = failWith(result, [], { offerId });
    return fail(failed.status, { ...failed.data, offerId });
  }
  return { done, offerId };
}

export const actions: Actions = {
  publish: (event) => step(event, 'publish'),
  withdraw: (event) => step(event, 'withdraw'),
  requestRepublication: (event) => step(event, 'republish'),
};
