import { monthParam } from '$lib/corporate-claims';
import { romeToday } from '$lib/dates';
import { centsOrZero } from '$lib/money';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { PayrollQuery } from '$lib/server/operations-corporate-claims';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** The month's payroll export (`?mese=YYYY-MM`, this month by default): a preview and downloads. */
export const load: PageServerLoad = async (event) => {
  requireEmployerHr(event);
  const { employerId } = event.params;
  const asked = event.url.searchParams.get('mese');
  const month = monthParam(asked) ?? romeToday().slice(0, 7);
  const result = await event.locals.api(PayrollQuery, { employerId, month });
  throwIfForbidden(result);
  const payroll = requireFound(result.data?.employerWelfarePayroll, result);
  const cents = (v: unknown) => centsOrZero(v);
  return {
    employerId,
    month,
    badMonth: asked !== null && monthParam(asked) === null,
    capSource: payroll.capSource,
    rows: payroll.rows.map((r) => ({
      ...r,
      reimbursementsCents: cents(r.reimbursementsCents),
      fringeBenefitsCents: cents(r.fringeBenefitsCents),
      fringeBenefitsYearCents: cents(r.fringeBenefitsYearCents),
      fringeBenefitCapCents: cents(r.fringeBenefitCapCents),
      nonTaxableCents: cents(r.nonTaxableCents),
      taxableCents: cents(r.taxableCents),
    })),
  };
};
