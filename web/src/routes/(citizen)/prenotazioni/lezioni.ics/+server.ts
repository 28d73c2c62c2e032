import { requireViewer } from '$lib/server/guards';
import { tutoringDownload } from '$lib/server/tutoring';
import type { RequestHandler } from './$types';

/** `GET /prenotazioni/lezioni.ics`: the family's tutoring lessons as an iCalendar file. */
export const GET: RequestHandler = (event) => {
  // The layout's guard does not run for an endpoint.
  requireViewer(event);
  return tutoringDownload(
    event,
    { subgraph: 'third-sector', path: 'exports/tutoring-lessons.ics' },
    '/prenotazioni',
  );
};
