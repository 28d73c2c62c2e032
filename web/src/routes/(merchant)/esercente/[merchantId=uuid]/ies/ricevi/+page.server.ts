import { receiveAction, receiveLoad } from '$lib/server/ies-pay';
import { requireMerchantMember } from '../../access';
import type { Actions, PageServerLoad } from './$types';

/** The shop asks to be paid in IES (its till's QR code, with or without an amount). */
export const load: PageServerLoad = async (event) => {
  const membership = requireMerchantMember(event);
  const { merchantId } = event.params;
  return {
    ...(await receiveLoad(event, merchantId, null)),
    payee: membership.organisation.name,
    action: `/esercente/${merchantId}/ies/ricevi`,
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireMerchantMember(event);
    return receiveAction(event, event.params.merchantId);
  },
};
