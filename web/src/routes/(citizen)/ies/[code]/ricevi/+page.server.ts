import { requireViewer } from '$lib/server/guards';
import { receiveAction, receiveLoad } from '$lib/server/ies-pay';
import type { Actions, PageServerLoad } from './$types';

/** The citizen asks to be paid in IES: a request shown as a QR code. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  return {
    ...(await receiveLoad(event, null, event.params.code)),
    action: `/ies/${event.params.code}/ricevi`,
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireViewer(event);
    return receiveAction(event, null);
  },
};
