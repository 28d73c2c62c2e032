import { requireViewer } from '$lib/server/guards';
import { confirmLoad, payAction } from '$lib/server/ies-pay';
import type { Actions, PageServerLoad } from './$types';

/** The citizen confirms a payment request: the payee, the amount, the fee and the total. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const { code, requestId } = event.params;
  return {
    ...(await confirmLoad(event, requestId)),
    action: `/ies/${code}/paga/${requestId}`,
    back: `/ies/${code}`,
  };
};

export const actions: Actions = {
  pay: async (event) => {
    requireViewer(event);
    return payAction(event, event.params.requestId, null);
  },
};
