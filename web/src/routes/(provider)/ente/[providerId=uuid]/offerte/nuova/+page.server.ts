import { redirect } from '@sveltejs/kit';
import { CreateOfferMutation, OfferComuniQuery } from '$lib/server/offers';
import { throwIfForbidden } from '$lib/server/refusals';
import { requireProviderAdmin } from '../../access';
import { parseOfferForm, saveFailure } from '../offer-actions.server';
import type { Actions, PageServerLoad } from './$types';

/** The Comuni of the provider's accreditations (effective ones first). */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const { providerId } = event.params;
  const result = await event.locals.api(OfferComuniQuery, { providerId });
  throwIfForbidden(result);
  const comuni = new Map<string, string>();
  const requests = [...(result.data?.providerAccreditations ?? [])].sort(
    (a, b) => Number(b.effective) - Number(a.effective),
  );
  for (const r of requests) if (r.comune.name) comuni.set(r.comune.id, r.comune.name);
  return {
    providerId,
    providerName: membership.organisation.name,
    comuni: [...comuni].map(([id, name]) => ({ id, name })),
    values: { format: 'GROUP', priceKind: 'FREE', category: 'EDUCATION' },
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireProviderAdmin(event);
    const { providerId } = event.params;
    const parsed = parseOfferForm(await event.request.formData());
    const result = await event.locals.api(CreateOfferMutation, {
      providerId,
      comuneId: parsed.values.comuneId ?? '',
      input: parsed.input as never,
    });
    const created = result.data?.createOffer;
    if (!created || Object.keys(parsed.problems).length > 0) return saveFailure(parsed, result);
    redirect(303, `/ente/${providerId}/offerte?fatto=salvata`);
  },
};
