import { error } from '@sveltejs/kit';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { EnrolmentJobQuery } from '$lib/server/operations-corporate-enrolment';
import { throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireEmployerHr(event);
  const { employerId, jobId } = event.params;
  const result = await event.locals.api(EnrolmentJobQuery, { employerId, id: jobId });
  throwIfForbidden(result);
  const job = result.data?.enrolmentJob ?? null;
  if (!job && !result.unavailable) error(404, 'Not found');
  return {
    employerId,
    job,
    unavailable: result.unavailable,
    // `?aggiorna=no` turns the automatic refresh off (WCAG 2.2.1).
    autoRefresh: event.url.searchParams.get('aggiorna') !== 'no',
  };
};
