import { error } from '@sveltejs/kit';
import { tutoringDownload } from '$lib/server/tutoring';
import { requireProviderMember } from '../../access';
import type { RequestHandler } from './$types';

/** `GET …/tutoraggio/[programmeId]/rendiconto.pdf`: the hours report (pdf), for the ADMIN. */
export const GET: RequestHandler = (event) => {
  const { providerId, programmeId } = event.params;
  // The layout's guard does not run for an endpoint.
  const { admin } = requireProviderMember(event);
  if (!admin) error(403, 'Forbidden');
  return tutoringDownload(
    event,
    {
      subgraph: 'third-sector',
      path: 'exports/tutoring-report.pdf',
      params: new URLSearchParams({ programmeId }),
    },
    `/ente/${providerId}/tutoraggio/${programmeId}`,
  );
};
