import { error, redirect } from '@sveltejs/kit';
import { romeToday } from '$lib/dates';
import { failWith, missing, invalid, text } from '$lib/server/forms';
import { requireArea } from '$lib/server/guards';
import {
  DeclareProviderClosureMutation,
  ProviderClosuresQuery,
  RemoveProviderClosureMutation,
} from '$lib/server/operations-closures';
import { isUuid } from '$lib/uuid';
import { requireProviderAdmin } from '../access';
import type { Actions, PageServerLoad } from './$types';

/** The form's fields, as the API names them. */
const FIELDS = ['startsOn', 'endsOn', 'reason'] as const;

/** The provider's closures: its members see them, its ADMIN declares and removes them. */
export const load: PageServerLoad = async (event) => {
  const { memberships } = requireArea(event, 'ente');
  const { providerId } = event.params;
  const membership = memberships.find((m) => m.organisation.id === providerId);
  if (!membership) error(403, 'Forbidden');
  const result = await event.locals.api(ProviderClosuresQuery, { providerId });
  const closures = result.data?.providerClosures ?? [];
  const asked = event.url.searchParams.get('rimuovi');
  const notice = event.url.searchParams.get('esito');
  return {
    providerId,
    providerName: membership.organisation.name,
    isAdmin: membership.role === 'ADMIN',
    today: romeToday(),
    closures,
    /** The closure whose removal the ADMIN is asked to confirm (`?rimuovi=<id>`). */
    confirming: closures.find((c) => c.id === asked) ?? null,
    notice: notice === 'dichiarata' || notice === 'rimossa' ? notice : null,
    unavailable: result.unavailable || !result.data?.providerClosures,
  };
};

export const actions: Actions = {
  declare: async (event) => {
    requireProviderAdmin(event);
    const data = await event.request.formData();
    const values = {
      startsOn: text(data, 'startsOn'),
      endsOn: text(data, 'endsOn'),
      reason: text(data, 'reason'),
    };
    const empty = missing(values, FIELDS);
    if (empty) return invalid(empty, values);
    const result = await event.locals.api(DeclareProviderClosureMutation, {
      providerId: event.params.providerId,
      input: values,
    });
    if (!result.data?.declareProviderClosure) return failWith(result, FIELDS, values);
    redirect(303, `/ente/${event.params.providerId}/chiusure?esito=dichiarata#esito`);
  },
  remove: async (event) => {
    requireProviderAdmin(event);
    const data = await event.request.formData();
    const id = text(data, 'id');
    if (!isUuid(id)) error(404, 'Not found');
    const result = await event.locals.api(RemoveProviderClosureMutation, { id });
    if (!result.data?.removeProviderClosure) return failWith(result, [], {});
    redirect(303, `/ente/${event.params.providerId}/chiusure?esito=rimossa#esito`);
  },
};
