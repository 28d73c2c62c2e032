import { receiveAction, receiveLoad } from '$lib/server/ies-pay';
import { requireProviderAdmin } from '../../access';
import type { Actions, PageServerLoad } from './$types';

/** The association or cooperative asks to be paid in IES (a QR code, with or without an amount). */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const { providerId } = event.params;
  return {
    ...(await receiveLoad(event, providerId, null)),
    payee: membership.organisation.name,
    action: `/ente/${providerId}/ies/ricevi`,
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireProviderAdmin(event);
    return receiveAction(event, event.params.providerId);
  },
};
