import { error, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import {
  IesCircuitsAndMembershipsQuery,
  JoinIesCircuitMutation,
} from '$lib/server/operations-ies-members';
import type { Actions, PageServerLoad } from './$types';

/** The citizen's IES circuits (their memberships) and the circuits they can join. */
export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const result = await event.locals.api(IesCircuitsAndMembershipsQuery, {});
  if (!result.data) error(result.unavailable ? 503 : 500, 'IES circuits unavailable');
  const mine = result.data.myIesMemberships.filter((x) => x.kind === 'CITIZEN');
  const joined = new Set(mine.map((x) => x.circuitId));
  return {
    citizen: Boolean(viewer.person.fiscalCode),
    memberships: mine.map((x) => ({
      id: x.id,
      status: x.status,
      code: x.circuit.code,
      name: x.circuit.name,
    })),
    joinable: result.data.iesCircuits
      .filter((c) => !joined.has(c.id) && c.status === 'ACTIVE')
      .map((c) => ({ id: c.id, code: c.code, name: c.name, territory: c.territory })),
  };
};

export const actions: Actions = {
  join: async (event) => {
    const viewer = requireViewer(event);
    const data = await event.request.formData();
    const code = text(data, 'code');
    const values = { code };
    if (!code) return invalid({ message: both(m.form_invalid), fields: {} }, values);
    const displayName = `${viewer.person.givenName} ${viewer.person.familyName}`.trim();
    const result = await event.locals.api(JoinIesCircuitMutation, {
      code,
      displayName: displayName || null,
    });
    if (!result.data) return failWith(result, [], values);
    redirect(303, `/ies/${code}?esito=joined`);
  },
};
