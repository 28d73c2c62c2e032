import { error } from '@sveltejs/kit';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { PlanReportQuery } from '$lib/server/operations-corporate-report';
import { throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** A plan's usage: by category of employee, by purpose and by month (HR of the employer). */
export const load: PageServerLoad = async (event) => {
  requireEmployerHr(event);
  const result = await event.locals.api(PlanReportQuery, { planId: event.params.planId });
  throwIfForbidden(result);
  const report = result.data?.welfarePlanReport;
  if (!result.unavailable && (!report || report.plan.employerId !== event.params.employerId)) {
    error(404, 'Not found');
  }
  return { employerId: event.params.employerId, report: report ?? null };
};
