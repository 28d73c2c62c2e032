import { error } from '@sveltejs/kit';
import { dayParam } from '$lib/dates';
import { reimbursementDownload } from '$lib/server/reimbursements';
import { isUuid } from '$lib/uuid';
import { requireMerchantMember } from '../../access';
import type { RequestHandler } from './$types';

/** `GET …/rendiconto/rendiconto.csv?convenzione=&dal=&al=`: the shop's statement (CSV). */
export const GET: RequestHandler = (event) => {
  // The layout's guard does not run for an endpoint.
  requireMerchantMember(event);
  const { url } = event;
  const accreditationId = url.searchParams.get('convenzione') ?? '';
  if (!isUuid(accreditationId)) error(404, 'Not found');
  const params = new URLSearchParams({ accreditationId });
  const from = dayParam(url, 'dal');
  const to = dayParam(url, 'al');
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  return reimbursementDownload(
    event,
    { path: 'files/reimbursements/statement.csv', params },
    `/esercente/${event.params.merchantId}/rendiconto?convenzione=${accreditationId}`,
  );
};
