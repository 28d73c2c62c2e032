import { requireEmployerHr, yearParam } from '$lib/server/corporate-hr';
import { EmployerWelfareDashboardQuery } from '$lib/server/operations-corporate-employee';
import { throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** The employer's corporate welfare dashboard for a tax year (`?anno=`): its HR only. */
export const load: PageServerLoad = async (event) => {
  const membership = requireEmployerHr(event);
  const year = yearParam(event.url);
  const result = await event.locals.api(EmployerWelfareDashboardQuery, {
    employerId: event.params.employerId,
    year,
  });
  throwIfForbidden(result);
  const dashboard = result.data?.employerWelfareDashboard ?? null;
  return {
    employerId: event.params.employerId,
    employerName: membership.organisation.name,
    year,
    dashboard: dashboard && {
      ...dashboard,
      plans: dashboard.plans.map((p) => ({
        ...p,
        figures: {
          fundedCents: Number(p.fundedCents),
          poolCents: Number(p.poolCents),
          creditedCents: Number(p.creditedCents),
          servicesCents: Number(p.servicesCents),
          reimbursementsCents: Number(p.reimbursementsCents),
          fringeBenefitsCents: Number(p.fringeBenefitsCents),
          endedCents: Number(p.endedCents),
          balanceCents: Number(p.balanceCents),
          heldCents: Number(p.heldCents),
        },
      })),
    },
    unavailable: result.unavailable || !dashboard,
  };
};
