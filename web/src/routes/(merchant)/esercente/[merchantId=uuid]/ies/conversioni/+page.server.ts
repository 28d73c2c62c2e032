import { loadConversions, requestConversion } from '$lib/server/ies-conversions';
import { requireMerchantMember } from '../../access';
import type { Actions, PageServerLoad } from './$types';

/** The shop's conversions of IES to euro: the request form (with the fee) and the list. */
export const load: PageServerLoad = async (event) => {
  const membership = requireMerchantMember(event);
  return {
    ...(await loadConversions(event, event.params.merchantId)),
    organisationName: membership.organisation.name,
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireMerchantMember(event);
    return requestConversion(event, event.params.merchantId);
  },
};
