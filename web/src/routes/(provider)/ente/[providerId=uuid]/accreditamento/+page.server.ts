import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { ProviderAccreditationsQuery, StartAccreditationMutation } from '$lib/server/accreditation';
import { failWith, text } from '$lib/server/forms';
import { throwIfForbidden } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import { requireProviderAdmin } from '../access';
import type { Actions, PageServerLoad } from './$types';

/** The provider's accreditation requests and the Comuni it can ask. */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const { providerId } = event.params;
  const result = await event.locals.api(ProviderAccreditationsQuery, { providerId });
  throwIfForbidden(result);
  return {
    providerId,
    providerName: membership.organisation.name,
    requests: result.data?.providerAccreditations ?? [],
    comuni: result.data?.accreditingComuni ?? [],
    unavailable: result.unavailable || !result.data?.providerAccreditations,
  };
};

export const actions: Actions = {
  start: async (event) => {
    requireProviderAdmin(event);
    const { providerId } = event.params;
    const data = await event.request.formData();
    const comuneId = text(data, 'comuneId');
    if (!isUuid(comuneId)) {
      return fail(400, {
        failure: { message: both(m.form_invalid), fields: { comuneId: both(m.required_field) } },
        values: { comuneId },
      });
    }
    const result = await event.locals.api(StartAccreditationMutation, { providerId, comuneId });
    const started = result.data?.startProviderAccreditation;
    if (!started) return failWith(result, ['comuneId'], { comuneId });
    redirect(303, `/ente/${providerId}/accreditamento/${started.id}`);
  },
};
