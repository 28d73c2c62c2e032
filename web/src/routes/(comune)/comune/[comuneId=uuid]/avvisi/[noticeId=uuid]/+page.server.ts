import { error } from '@sveltejs/kit';
import { requireComuneStaff } from '$lib/server/guards';
import { PagopaNoticeQuery } from '$lib/server/operations-pagopa';
import { noticeQrImage } from '$lib/server/pagopa';
import { requireFound } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** The printable notice, for the Comune's staff (a notice of another Comune is a 404). */
export const load: PageServerLoad = async (event) => {
  const { comuneId, noticeId } = event.params;
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(PagopaNoticeQuery, { id: noticeId });
  const found = requireFound(result.data?.pagopaNotice, result);
  if (found.comuneId !== comuneId) error(404, 'Not found');
  const notice = { ...found, amountCents: Number(found.amountCents) };
  return { comuneId, notice, qr: await noticeQrImage(notice.qrPayload) };
};
