import { requireViewer } from '$lib/server/guards';
import { PagopaNoticeQuery } from '$lib/server/operations-pagopa';
import { noticeQrImage } from '$lib/server/pagopa';
import { requireFound } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** The printable notice, for its addressee (anyone else's is a 404). */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api(PagopaNoticeQuery, { id: event.params.noticeId });
  const found = requireFound(result.data?.pagopaNotice, result);
  const notice = { ...found, amountCents: Number(found.amountCents) };
  return { notice, qr: await noticeQrImage(notice.qrPayload) };
};
