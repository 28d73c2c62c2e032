// The ranking's CSV and PDF, streamed from the gateway (public once computed, like the page).
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { streamDownload } from '$lib/server/refusals';

/** `?graduatoria=non-disponibile` on the measure page tells why a download did not start. */
export const RANKING_NOTICE_PARAM = 'graduatoria';

export async function rankingDownload(
  event: RequestEvent<{ id: string }>,
  format: 'csv' | 'pdf',
): Promise<Response> {
  const { id } = event.params;
  // The ranking is public; should the gateway ask for a login anyway, log in and come back.
  const file = await streamDownload(
    event,
    {
      subgraph: 'public-welfare',
      path: `exports/ranking.${format}`,
      params: new URLSearchParams({ campaignId: id }),
    },
    `/misure/${id}#measure-ranking`,
  );
  if (file.ok) return file.response;
  const notice = file.problem === 'unavailable' ? 'non-disponibile' : 'assente';
  redirect(303, `/misure/${encodeURIComponent(id)}?${RANKING_NOTICE_PARAM}=${notice}`);
}
