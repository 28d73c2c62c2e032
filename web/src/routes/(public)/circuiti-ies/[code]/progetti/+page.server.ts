import { IesProjectsQuery } from '$lib/server/operations-ies-catalogue';
import { requireFound } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** A circuit's fundraising projects, with their totals (public). */
export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await locals.api(IesProjectsQuery, { circuitCode: params.code });
  const circuit = requireFound(result.data?.iesCircuit, result);
  return { circuit, projects: result.data?.iesProjects ?? [] };
};
