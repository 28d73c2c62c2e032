import { loadConversions, requestConversion } from '$lib/server/ies-conversions';
import { requireProviderAdmin } from '../../access';
import type { Actions, PageServerLoad } from './$types';

/** The association's or cooperative's conversions of IES to euro. */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  return {
    ...(await loadConversions(event, event.params.providerId)),
    organisationName: membership.organisation.name,
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireProviderAdmin(event);
    return requestConversion(event, event.params.providerId);
  },
};
