import { requireViewer } from '$lib/server/guards';
import { MyPagopaNoticesQuery } from '$lib/server/operations-pagopa';
import type { PageServerLoad } from './$types';

/** The pagoPA notices addressed to the person's codice fiscale. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api(MyPagopaNoticesQuery);
  return {
    notices: (result.data?.myPagopaNotices ?? []).map((n) => ({
      ...n,
      amountCents: Number(n.amountCents),
    })),
    unavailable: result.unavailable || !result.data?.myPagopaNotices,
  };
};
