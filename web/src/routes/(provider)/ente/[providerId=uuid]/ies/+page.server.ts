import { requireProviderAdmin } from '../access';
import { loadOrganisationIes, requestMembership } from '$lib/server/ies-organisation';
import type { Actions, PageServerLoad } from './$types';

/** The cooperative's or association's IES page: its wallet, or the request to join (its ADMIN). */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const ies = await loadOrganisationIes(event, event.params.providerId);
  return {
    ...ies,
    organisationName: membership.organisation.name,
    organisationKind: membership.organisation.kind,
    canRequest: true,
    requested: event.url.searchParams.get('esito') === 'requested',
  };
};

export const actions: Actions = {
  request: (event) => {
    requireProviderAdmin(event);
    const { providerId } = event.params;
    return requestMembership(event, providerId, `/ente/${providerId}/ies`);
  },
};
