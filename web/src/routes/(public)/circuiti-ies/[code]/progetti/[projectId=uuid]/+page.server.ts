import { error } from '@sveltejs/kit';
import { IesProjectQuery } from '$lib/server/operations-ies-catalogue';
import { requireFound } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** A fundraising project's public page: the total raised and the number of donors. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await locals.api(IesProjectQuery, { id: params.projectId });
  const project = requireFound(result.data?.iesProject, result);
  // The project belongs to the circuit of the address (or it is not found here).
  if (project.circuitCode !== params.code) error(404, 'Not found');
  return { project };
};
