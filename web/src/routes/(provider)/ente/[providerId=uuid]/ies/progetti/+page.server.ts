import { fail, redirect } from '@sveltejs/kit';
import { failWith, text } from '$lib/server/forms';
import {
  CloseIesProjectMutation,
  IesOrganisationProjectsQuery,
} from '$lib/server/operations-ies-catalogue';
import { throwIfForbidden } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import { requireProviderAdmin } from '../../access';
import type { Actions, PageServerLoad } from './$types';

/** The organisation's fundraising projects (its ADMINs): totals, hidden ones, closing. */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const { providerId } = event.params;
  const result = await event.locals.api(IesOrganisationProjectsQuery, {
    organisationId: providerId,
  });
  throwIfForbidden(result);
  return {
    providerId,
    providerName: membership.organisation.name,
    projects: result.data?.iesOrganisationProjects ?? [],
    unavailable: result.unavailable || !result.data,
    done: event.url.searchParams.get('fatto'),
  };
};

export const actions: Actions = {
  /** Closes a project: its IES move to the organisation's wallet. */
  close: async (event) => {
    requireProviderAdmin(event);
    const { providerId } = event.params;
    const id = text(await event.request.formData(), 'projectId');
    if (!isUuid(id)) return fail(400, { failure: null, values: {} });
    const result = await event.locals.api(CloseIesProjectMutation, { id });
    throwIfForbidden(result);
    if (!result.data?.closeIesProject) return failWith(result, [], { projectId: id });
    redirect(303, `/ente/${providerId}/ies/progetti?fatto=chiuso`);
  },
};
