// The ranking's CSV and PDF for the Comune's staff, streamed from the gateway.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { downloadResponse, fetchDownload } from '$lib/server/downloads';
import { isUuid, requireComuneStaff } from '$lib/server/guards';

export async function rankingDownload(
  event: RequestEvent<{ comuneId: string; campaignId: string }>,
  format: 'csv' | 'pdf',
): Promise<Response> {
  const { comuneId, campaignId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  if (!isUuid(campaignId)) error(404, 'Not found');
  const result = await fetchDownload(
    {
      token: event.locals.sessionToken,
      clientAddress: event.locals.clientAddress,
      requestId: event.locals.requestId,
    },
    {
      subgraph: 'public-welfare',
      path: `exports/ranking.${format}`,
      params: new URLSearchParams({ campaignId }),
    },
  );
  if (result.ok) return downloadResponse(result.response);
  if (result.problem === 'unauthenticated') {
    const back = `${event.url.pathname}${event.url.search}`;
    redirect(303, `/accedi?redirectTo=${encodeURIComponent(back)}`);
  }
  if (result.problem === 'forbidden') error(403, 'Forbidden');
  const notice = result.problem === 'unavailable' ? 'non-disponibile' : 'assente';
  redirect(303, `/comune/${comuneId}/misure/${campaignId}/graduatoria?esito=${notice}`);
}
