import { requireComuneStaff } from '$lib/server/guards';
import { reimbursementDownload } from '$lib/server/reimbursements';
import type { RequestHandler } from './$types';

/** `GET …/rimborsi/<batch>/sepa.xml`: the batch's SEPA credit transfer file (pain.001). */
export const GET: RequestHandler = (event) => {
  const { comuneId, batchId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  return reimbursementDownload(
    event,
    {
      path: 'files/reimbursements/sepa.xml',
      params: new URLSearchParams({ batchId }),
    },
    `/comune/${comuneId}/rimborsi/${batchId}`,
  );
};
