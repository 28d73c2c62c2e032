import { requireComuneStaff } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/**
 * The template of a list of beneficiaries, as Excel opens it (UTF-8 with BOM, `;`, CRLF): the
 * documented header only (`codice_fiscale;importo;motivo`, the API's column names). No example
 * row: uploaded unchanged it would become a real beneficiary; the page explains the columns with
 * examples instead, and a header-only file is refused (nothing to import). The columns are fixed,
 * so the template needs no call to the API.
 */
const TEMPLATE = ['codice_fiscale;importo;motivo'];

/** `GET …/misure/<campaignId>/beneficiari/modello.csv`: the template to fill in. */
export const GET: RequestHandler = (event) => {
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, event.params.comuneId);
  return new Response(`\ufeff${TEMPLATE.join('\r\n')}\r\n`, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="modello-elenco-beneficiari.csv"',
      'cache-control': 'no-store',
    },
  });
};
