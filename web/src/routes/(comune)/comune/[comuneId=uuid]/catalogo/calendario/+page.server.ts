import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { canManageOrganisation } from '$lib/roles';
import {
  ComunePatronDayQuery,
  RemoveComunePatronDayMutation,
  SetComunePatronDayMutation,
} from '$lib/server/operations-comune-catalogue';
import { failWith, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['salvata', 'rimossa'] as const;
const FIELDS = ['day', 'name', 'source'] as const;

/** A whole number from 1 to `max` typed in a field, or null. */
function whole(value: string, max: number): number | null {
  if (!/^\d{1,2}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= max ? n : null;
}

/**
 * The Comune's patron saint day: no offer of its catalogue can be booked on it. Its staff read it;
 * its MANAGER sets, changes or removes it (the API refuses anyone else).
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(ComunePatronDayQuery, { comuneId });
  const esito = event.url.searchParams.get('esito');
  return {
    comuneId,
    manager: canManageOrganisation(viewer, { id: comuneId, kind: 'COMUNE' }),
    patron: result.data?.comunePatronDay ?? null,
    notice: NOTICES.find((n) => n === esito) ?? null,
    unavailable: result.unavailable || !result.data,
  };
};

export const actions: Actions = {
  set: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = {
      form: 'set',
      day: text(data, 'day'),
      month: text(data, 'month'),
      name: text(data, 'name'),
      source: text(data, 'source'),
    };
    const day = whole(values.day, 31);
    const month = whole(values.month, 12);
    if (day === null || month === null) {
      const fields: Record<string, Localized> = { day: both(m.patron_day_invalid) };
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(SetComunePatronDayMutation, {
      comuneId,
      input: { day, month, name: values.name, source: values.source || null },
    });
    if (!result.data?.setComunePatronDay) return failWith(result, FIELDS, values);
    redirect(303, `/comune/${comuneId}/catalogo/calendario?esito=salvata#esito`);
  },
  remove: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const values = { form: 'remove' };
    const result = await event.locals.api(RemoveComunePatronDayMutation, { comuneId });
    if (result.data?.removeComunePatronDay === undefined) return failWith(result, [], values);
    redirect(303, `/comune/${comuneId}/catalogo/calendario?esito=rimossa#esito`);
  },
};
