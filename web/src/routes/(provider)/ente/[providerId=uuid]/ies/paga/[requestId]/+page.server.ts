import { confirmLoad, payAction } from '$lib/server/ies-pay';
import { requireProviderAdmin } from '../../../access';
import type { Actions, PageServerLoad } from './$types';

/** The organisation confirms paying a request from its wallet: amount, fee and total. */
export const load: PageServerLoad = async (event) => {
  requireProviderAdmin(event);
  const { providerId, requestId } = event.params;
  return {
    ...(await confirmLoad(event, requestId)),
    action: `/ente/${providerId}/ies/paga/${requestId}`,
    back: `/ente/${providerId}/ies`,
  };
};

export const actions: Actions = {
  pay: async (event) => {
    requireProviderAdmin(event);
    return payAction(event, event.params.requestId, event.params.providerId);
  },
};
