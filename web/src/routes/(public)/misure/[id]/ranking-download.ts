// The ranking's CSV and PDF, streamed from the gateway (public once computed, like the page).
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { downloadResponse, fetchDownload } from '$lib/server/downloads';
import { isUuid } from '$lib/server/guards';

/** `?graduatoria=non-disponibile` on the measure page tells why a download did not start. */
export const RANKING_NOTICE_PARAM = 'graduatoria';

export async function rankingDownload(
  event: RequestEvent<{ id: string }>,
  format: 'csv' | 'pdf',
): Promise<Response> {
  const { id } = event.params;
  if (!isUuid(id)) error(404, 'Not found');
  const result = await fetchDownload(
    {
      token: event.locals.sessionToken,
      clientAddress: event.locals.clientAddress,
      requestId: event.locals.requestId,
    },
    {
      subgraph: 'public-welfare',
      path: `exports/ranking.${format}`,
      params: new URLSearchParams({ campaignId: id }),
    },
  );
  if (result.ok) return downloadResponse(result.response);
  // The ranking is public; should the gateway ask for a login anyway, log in and come back.
  if (result.problem === 'unauthenticated') {
    redirect(303, `/accedi?redirectTo=${encodeURIComponent(`/misure/${id}#measure-ranking`)}`);
  }
  const notice = result.problem === 'unavailable' ? 'non-disponibile' : 'assente';
  redirect(303, `/misure/${encodeURIComponent(id)}?${RANKING_NOTICE_PARAM}=${notice}`);
}
