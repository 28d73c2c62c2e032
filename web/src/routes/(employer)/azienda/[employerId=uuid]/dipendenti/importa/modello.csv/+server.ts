import { enrolmentTemplate } from '$lib/server/corporate-enrolment';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import type { RequestHandler } from './$types';

/** The template of the enrolment file: the header and one example row. */
export const GET: RequestHandler = (event) => {
  requireEmployerHr(event);
  return new Response(enrolmentTemplate(), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="modello-dipendenti.csv"',
      'cache-control': 'no-store',
    },
  });
};
