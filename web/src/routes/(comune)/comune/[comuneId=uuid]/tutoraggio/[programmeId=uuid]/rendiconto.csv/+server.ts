import { requireComuneStaff } from '$lib/server/guards';
import { tutoringDownload } from '$lib/server/tutoring';
import type { RequestHandler } from './$types';

/** `GET …/tutoraggio/[programmeId]/rendiconto.csv`: the hours report (csv), from the gateway. */
export const GET: RequestHandler = (event) => {
  const { comuneId, programmeId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  return tutoringDownload(
    event,
    {
      subgraph: 'third-sector',
      path: 'exports/tutoring-report.csv',
      params: new URLSearchParams({ programmeId }),
    },
    `/comune/${comuneId}/tutoraggio/${programmeId}`,
  );
};
