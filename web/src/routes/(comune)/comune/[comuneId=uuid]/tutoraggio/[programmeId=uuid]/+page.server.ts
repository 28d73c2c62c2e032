import { error } from '@sveltejs/kit';
import { requireComuneStaff } from '$lib/server/guards';
import { requireFound } from '$lib/server/refusals';
import { TutoringReportQuery } from '$lib/server/tutoring';
import type { PageServerLoad } from './$types';

/** A programme's hours report for the funding Comune's staff. */
export const load: PageServerLoad = async (event) => {
  const { comuneId, programmeId } = event.params;
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(TutoringReportQuery, { programmeId });
  const report = requireFound(result.data?.tutoringReport, result);
  if (report.programme.comuneId !== comuneId) error(404, 'Not found');
  return {
    comuneId,
    report,
    unavailableNotice: event.url.searchParams.get('esito') === 'non-disponibile',
  };
};
