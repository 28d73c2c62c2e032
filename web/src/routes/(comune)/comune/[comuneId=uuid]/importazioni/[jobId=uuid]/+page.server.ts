import { error } from '@sveltejs/kit';
import { requireComuneStaff } from '$lib/server/guards';
import { ImportJobQuery } from '$lib/server/operations';
import { throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { comuneId, jobId } = event.params;
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(ImportJobQuery, { id: jobId });
  throwIfForbidden(result);
  const job = result.data?.importJob ?? null;
  if (!job) {
    if (result.unavailable) return { comuneId, job: null, unavailable: true, autoRefresh: true };
    error(404, 'Not found');
  }
  // A job of another Comune is not shown under this one's address.
  if (job.comune.id !== comuneId) error(404, 'Not found');
  return {
    comuneId,
    job,
    unavailable: result.unavailable,
    // The rejections file could not be fetched (`scarti.csv` sends the person back here).
    downloadUnavailable: event.url.searchParams.get('esito') === 'non-disponibile',
    // `?aggiorna=no` turns the automatic refresh off (WCAG 2.2.1).
    autoRefresh: event.url.searchParams.get('aggiorna') !== 'no',
  };
};
