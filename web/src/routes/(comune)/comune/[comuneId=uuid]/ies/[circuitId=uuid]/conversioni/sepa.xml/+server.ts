import { error } from '@sveltejs/kit';
import { managedCircuit } from '$lib/server/ies-reserve';
import { ExportIesConversionsSepaMutation } from '$lib/server/operations-ies-reserve';
import { throwIfForbidden } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/**
 * `GET …/conversioni/sepa.xml`: the SEPA credit transfer file (pain.001) paying the circuit's
 * approved conversions (the circuit's MANAGER; the API audits the export).
 */
export const GET: RequestHandler = async (event) => {
  const { comuneId, circuitId } = event.params;
  // The layout's guard does not run for an endpoint.
  await managedCircuit(event, comuneId, circuitId);
  const result = await event.locals.api(ExportIesConversionsSepaMutation, {
    circuitId,
    conversionIds: [],
  });
  throwIfForbidden(result);
  const file = result.data?.exportIesConversionsSepa;
  if (!file) error(result.unavailable ? 503 : 404, 'Not found');
  return new Response(file.content, {
    headers: {
      'content-type': 'application/xml; charset=utf-8',
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
    },
  });
};
