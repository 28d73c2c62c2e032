import { error, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { HideIesProjectMutation, IesCircuitProjectsQuery } from '$lib/server/operations-ies-comune';
import { throwIfForbidden } from '$lib/server/refusals';
import { managedCircuit } from '../circuit.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * The circuit's fundraising projects (its staff), hidden ones with their reason. `?nascondi=<id>`
 * opens the confirmation of hiding one: what it does, and the reason to give.
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId, circuitId } = event.params;
  const circuit = await managedCircuit(event, comuneId, circuitId);
  const result = await event.locals.api(IesCircuitProjectsQuery, { circuitId });
  throwIfForbidden(result);
  const projects = result.data?.iesCircuitProjects ?? [];
  const toHide = event.url.searchParams.get('nascondi');
  const confirming = toHide ? projects.find((p) => p.id === toHide && !p.hidden) : undefined;
  if (toHide && !confirming && result.data) error(404, 'Not found');
  return {
    comuneId,
    circuit: { id: circuit.id, name: circuit.name },
    projects,
    confirming: confirming ? { id: confirming.id, title: confirming.title } : null,
    hidden: event.url.searchParams.get('esito') === 'nascosto',
    unavailable: result.unavailable || !result.data,
  };
};

export const actions: Actions = {
  /** Hides a project with a reason (the API checks it: 3 to 500 characters). */
  hide: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const data = await event.request.formData();
    const values = { projectId: text(data, 'projectId'), reason: text(data, 'reason') };
    if (values.reason.length < 3) {
      return fail(400, {
        failure: {
          message: both(m.form_invalid),
          fields: { reason: both(m.iecm_hide_reason_invalid) },
        },
        values,
      });
    }
    const result = await event.locals.api(HideIesProjectMutation, {
      id: values.projectId,
      reason: values.reason,
    });
    if (!result.data?.hideIesProject) return failWith(result, ['reason'], values);
    redirect(303, `/comune/${comuneId}/ies/${circuitId}/progetti?esito=nascosto`);
  },
};
