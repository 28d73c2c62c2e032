import { ProviderServiceMessagesQuery } from '$lib/server/operations-provider-messages';
import { throwIfForbidden } from '$lib/server/refusals';
import { requireProviderAdmin } from '../access';
import type { PageServerLoad } from './$types';

/** The provider's messages (accreditation, offers, bookings), for its ADMINs only. */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const { providerId } = event.params;
  const result = await event.locals.api(ProviderServiceMessagesQuery, { providerId });
  throwIfForbidden(result);
  return {
    providerName: membership.organisation.name,
    messages: result.data?.providerServiceMessages ?? [],
    unavailable: result.unavailable || !result.data?.providerServiceMessages,
  };
};
