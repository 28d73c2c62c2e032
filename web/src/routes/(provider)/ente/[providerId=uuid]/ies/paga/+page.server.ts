import { enterAction } from '$lib/server/ies-pay';
import { requireProviderAdmin } from '../../access';
import type { Actions, PageServerLoad } from './$types';

/** The organisation enters (or pastes) a payment request's code or link, to pay it. */
export const load: PageServerLoad = (event) => {
  requireProviderAdmin(event);
  return { action: `/ente/${event.params.providerId}/ies/paga` };
};

export const actions: Actions = {
  default: async (event) => {
    requireProviderAdmin(event);
    return enterAction(await event.request.formData(), `/ente/${event.params.providerId}/ies/paga`);
  },
};
