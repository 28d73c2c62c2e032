// The ranking's CSV and PDF for the Comune's staff, streamed from the gateway.
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { requireComuneStaff } from '$lib/server/guards';
import { streamDownload, throwIfForbidden } from '$lib/server/refusals';

export async function rankingDownload(
  event: RequestEvent<{ comuneId: string; campaignId: string }>,
  format: 'csv' | 'pdf',
): Promise<Response> {
  const { comuneId, campaignId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  const file = await streamDownload(event, {
    subgraph: 'public-welfare',
    path: `exports/ranking.${format}`,
    params: new URLSearchParams({ campaignId }),
  });
  if (file.ok) return file.response;
  throwIfForbidden(file);
  const notice = file.problem === 'unavailable' ? 'non-disponibile' : 'assente';
  redirect(303, `/comune/${comuneId}/misure/${campaignId}/graduatoria?esito=${notice}`);
}
