import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { romeToday } from '$lib/dates';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroCents } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { requireEmployerHr, yearParam } from '$lib/server/corporate-hr';
import {
  DeclareFringeBenefitMutation,
  EmployerFringeBenefitsQuery,
  GrantFringeBenefitMutation,
} from '$lib/server/operations-corporate-employee';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * HR's fringe-benefit page: each employee's total of the year against their cap (warning and
 * exceeded badges), a declaration of a benefit given outside the platform, and a grant from a
 * plan's credit (refused past the cap). Forms post without script.
 */
export const load: PageServerLoad = async (event) => {
  const membership = requireEmployerHr(event);
  const year = yearParam(event.url);
  const result = await event.locals.api(EmployerFringeBenefitsQuery, {
    employerId: event.params.employerId,
    year,
  });
  throwIfForbidden(result);
  const employees = (result.data?.employerFringeBenefits ?? []).map((e) => ({
    ...e,
    status: {
      ...e.status,
      capCents: Number(e.status.capCents),
      totalCents: Number(e.status.totalCents),
      remainingCents: Number(e.status.remainingCents),
    },
  }));
  const plans = (result.data?.employerWelfarePlans ?? []).filter(
    (p) => p.status === 'ACTIVE' && p.purposes.includes('FRINGE_BENEFIT'),
  );
  const outcome = event.url.searchParams.get('esito');
  const noticeEmployee = employees.find(
    (e) => e.employeeId === event.url.searchParams.get('dipendente'),
  );
  return {
    employerName: membership.organisation.name,
    year,
    employees,
    plans: plans.map((p) => ({ id: p.id, name: `${p.name} (${p.year})` })),
    requestId: randomUUID(),
    today: romeToday(),
    notice:
      outcome === 'concesso' || outcome === 'dichiarato'
        ? { outcome, employee: noticeEmployee ?? null }
        : null,
    unavailable: result.unavailable || !result.data?.employerFringeBenefits,
  };
};

const FIELDS = ['employeeId', 'planId', 'amountCents', 'description', 'benefitDate'] as const;

/** The form's values and the amount in cents (null when it is not one), with the form's name. */
async function readForm(event: RequestEvent, form: 'declare' | 'grant') {
  const data = await event.request.formData();
  const values: Record<string, string> = {
    form,
    employeeId: text(data, 'employeeId'),
    planId: text(data, 'planId'),
    amount: text(data, 'amount'),
    description: text(data, 'description'),
    benefitDate: text(data, 'benefitDate'),
    requestId: text(data, 'requestId'),
    anno: text(data, 'anno'),
  };
  const fields: Record<string, Localized> = {};
  const required =
    form === 'grant'
      ? ['employeeId', 'planId', 'description']
      : ['employeeId', 'description', 'benefitDate'];
  for (const name of required) if (!values[name]) fields[name] = both(m.required_field);
  const amountCents = parseEuroCents(values.amount ?? '');
  if (amountCents === null || amountCents < 1) fields.amountCents = both(m.cwm_hr_amount_invalid);
  return { values, fields, amountCents: amountCents ?? 0 };
}

/** Back to the page, with the outcome and the employee whose status to show. */
function done(event: RequestEvent, outcome: string, employeeId: string, year: string): never {
  const params = new URLSearchParams({ esito: outcome, dipendente: employeeId });
  if (year) params.set('anno', year);
  redirect(303, `/azienda/${event.params.employerId}/fringe-benefit?${params.toString()}#esito`);
}

export const actions: Actions = {
  declare: async (event) => {
    requireEmployerHr(event);
    const { values, fields, amountCents } = await readForm(event, 'declare');
    if (Object.keys(fields).length > 0)
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    const result = await event.locals.api(DeclareFringeBenefitMutation, {
      input: {
        employerId: event.params.employerId,
        employeeId: values.employeeId ?? '',
        amountCents,
        description: values.description ?? '',
        benefitDate: values.benefitDate ?? '',
      },
    });
    if (!result.data?.declareFringeBenefit) return failWith(result, FIELDS, values);
    done(event, 'dichiarato', values.employeeId ?? '', (values.benefitDate ?? '').slice(0, 4));
  },
  grant: async (event) => {
    requireEmployerHr(event);
    const { values, fields, amountCents } = await readForm(event, 'grant');
    if (Object.keys(fields).length > 0)
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    const result = await event.locals.api(GrantFringeBenefitMutation, {
      input: {
        employerId: event.params.employerId,
        employeeId: values.employeeId ?? '',
        planId: values.planId ?? '',
        amountCents,
        description: values.description ?? '',
        requestId: values.requestId || randomUUID(),
      },
    });
    if (!result.data?.grantFringeBenefit) return failWith(result, FIELDS, values);
    done(event, 'concesso', values.employeeId ?? '', values.anno ?? '');
  },
};
