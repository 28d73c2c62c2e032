import { requireViewer } from '$lib/server/guards';
import { enterAction } from '$lib/server/ies-pay';
import type { Actions, PageServerLoad } from './$types';

/** The citizen enters (or pastes) a payment request's code or link. */
export const load: PageServerLoad = (event) => {
  requireViewer(event);
  return { action: `/ies/${event.params.code}/paga` };
};

export const actions: Actions = {
  default: async (event) => {
    requireViewer(event);
    return enterAction(await event.request.formData(), `/ies/${event.params.code}/paga`);
  },
};
