import { error, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { failWith, invalid, text } from '$lib/server/forms';
import {
  ChangeEmployerEmployeeMutation,
  EmployerEmployeeQuery,
} from '$lib/server/operations-corporate-enrolment';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['categoryCode', 'email', 'dependentChildren', 'endDate'] as const;

/** `dd/mm/yyyy` (or `yyyy-mm-dd`) as `yyyy-mm-dd`; '' stays ''; null when malformed. */
function isoDay(value: string): string | null {
  if (value === '') return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return null;
  return date.toISOString().slice(0, 10);
}

/** `yyyy-mm-dd` as `dd/mm/yyyy`. */
const italianDay = (day: string) => day.split('-').reverse().join('/');

export const load: PageServerLoad = async (event) => {
  requireEmployerHr(event);
  const { employerId, employeeId } = event.params;
  const result = await event.locals.api(EmployerEmployeeQuery, { employerId, id: employeeId });
  throwIfForbidden(result);
  const employee = result.data?.employerEmployee ?? null;
  if (!employee && !result.unavailable) error(404, 'Not found');
  const categories = new Map<string, string>();
  for (const plan of result.data?.employerWelfarePlans ?? []) {
    for (const c of plan.categories) if (!categories.has(c.code)) categories.set(c.code, c.name);
  }
  if (employee && !categories.has(employee.categoryCode)) {
    categories.set(employee.categoryCode, employee.categoryCode);
  }
  return {
    employerId,
    employee,
    endDateText: employee?.endDate ? italianDay(employee.endDate) : '',
    categories: [...categories].map(([code, name]) => ({
      value: code,
      label: `${name} (${code})`,
    })),
    saved: event.url.searchParams.get('esito') === 'salvato',
    unavailable: result.unavailable,
  };
};

export const actions: Actions = {
  save: async (event) => {
    requireEmployerHr(event);
    const { employerId, employeeId } = event.params;
    const data = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((f) => [f, text(data, f)])) as Record<
      (typeof FIELDS)[number],
      string
    >;
    const fields: Record<string, Localized> = {};
    if (!values.categoryCode) fields.categoryCode = both(m.required_field);
    const children = values.dependentChildren === '' ? 0 : Number(values.dependentChildren);
    if (!/^\d{0,2}$/.test(values.dependentChildren) || children > 20) {
      fields.dependentChildren = both(m.cwe_error_children);
    }
    const endDate = isoDay(values.endDate);
    if (endDate === null) fields.endDate = both(m.cwe_error_date);
    if (Object.keys(fields).length > 0 || endDate === null) {
      return invalid({ message: both(m.form_invalid), fields }, values);
    }
    const result = await event.locals.api(ChangeEmployerEmployeeMutation, {
      employerId,
      id: employeeId,
      input: {
        categoryCode: values.categoryCode,
        email: values.email || null,
        dependentChildren: children,
        endDate: endDate || null,
      },
    });
    if (!result.data?.changeEmployerEmployee) return failWith(result, FIELDS, values);
    redirect(
      303,
      `/azienda/${encodeURIComponent(employerId)}/dipendenti/${encodeURIComponent(employeeId)}?esito=salvato`,
    );
  },
};
