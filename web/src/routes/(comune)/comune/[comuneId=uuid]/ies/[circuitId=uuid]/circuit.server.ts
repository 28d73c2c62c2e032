import { error, type RequestEvent } from '@sveltejs/kit';
import { requireComuneStaff } from '$lib/server/guards';
import { ManagedIesCircuitsQuery } from '$lib/server/operations-ies-members';

/** The circuit of the address, managed by the Comune of the address (404 otherwise). */
export async function managedCircuit(event: RequestEvent, comuneId: string, circuitId: string) {
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(ManagedIesCircuitsQuery, {});
  if (!result.data) error(result.unavailable ? 503 : 500, 'IES circuits unavailable');
  const circuit = result.data.myManagedIesCircuits.find(
    (c) => c.id === circuitId && c.managerId === comuneId,
  );
  if (!circuit) error(404, 'Not found');
  return circuit;
}
