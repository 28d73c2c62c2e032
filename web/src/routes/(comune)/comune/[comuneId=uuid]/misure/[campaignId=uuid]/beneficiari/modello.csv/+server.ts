import { requireComuneStaff } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/**
 * The template of a list of beneficiaries, as Excel opens it (UTF-8 with BOM, `;`, CRLF): the
 * documented header (`codice_fiscale;importo;motivo`, the API's column names) and an example row
 * (a fictitious codice fiscale with a valid check character, euro with a decimal comma, a reason
 * naming the decision). The columns are fixed, so the template needs no call to the API.
 */
const TEMPLATE = [
  'codice_fiscale;importo;motivo',
  'RSSMRA80A01H501U;150,50;Delibera di Giunta n. 12 del 15/01/2026',
];

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
