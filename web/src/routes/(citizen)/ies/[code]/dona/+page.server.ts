import { IesProjectsQuery } from '$lib/server/operations-ies-catalogue';
import { requireFound } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** The circuit's projects that take donations now, for a member to choose one. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await locals.api(IesProjectsQuery, { circuitCode: params.code });
  const circuit = requireFound(result.data?.iesCircuit, result);
  return {
    circuit,
    projects: (result.data?.iesProjects ?? []).filter((p) => p.acceptingDonations),
  };
};
