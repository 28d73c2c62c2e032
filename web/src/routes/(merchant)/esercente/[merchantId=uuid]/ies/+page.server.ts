import { requireMerchantMember } from '../access';
import { loadOrganisationIes, requestMembership } from '$lib/server/ies-organisation';
import type { Actions, PageServerLoad } from './$types';

/** The shop's IES page: its wallet, or the request to join (its OWNER asks). */
export const load: PageServerLoad = async (event) => {
  const membership = requireMerchantMember(event);
  const ies = await loadOrganisationIes(event, event.params.merchantId);
  return {
    ...ies,
    organisationName: membership.organisation.name,
    canRequest: membership.role === 'OWNER',
    requested: event.url.searchParams.get('esito') === 'requested',
  };
};

export const actions: Actions = {
  request: (event) => {
    requireMerchantMember(event);
    const { merchantId } = event.params;
    return requestMembership(event, merchantId, `/esercente/${merchantId}/ies`);
  },
};
