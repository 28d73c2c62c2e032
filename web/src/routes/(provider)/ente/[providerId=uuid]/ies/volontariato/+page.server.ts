import { fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import {
  ConfirmIesVolunteerShiftMutation,
  IesCircuitsQuery,
} from '$lib/server/operations-ies-earn';
import { requireProviderAdmin } from '../../access';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['circuitId', 'fiscalCode', 'day', 'hours', 'description'] as const;
type Field = (typeof FIELDS)[number];

/** The association's (or cooperative's) ADMIN confirms a volunteer's shift. */
export const load: PageServerLoad = async (event) => {
  requireProviderAdmin(event);
  const result = await event.locals.api(IesCircuitsQuery, {});
  return {
    circuits: result.data?.iesCircuits ?? [],
    unavailable: result.unavailable || !result.data,
  };
};

export const actions: Actions = {
  confirm: async (event) => {
    requireProviderAdmin(event);
    const data = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((f) => [f, text(data, f)])) as Record<
      Field,
      string
    >;
    const hours = Number(values.hours.replace(',', '.'));
    if (!values.hours || !Number.isFinite(hours)) {
      return fail(400, {
        failure: { message: both(m.form_invalid), fields: { hours: both(m.iee_error_number) } },
        values,
      });
    }
    const result = await event.locals.api(ConfirmIesVolunteerShiftMutation, {
      input: {
        circuitId: values.circuitId,
        organisationId: event.params.providerId,
        fiscalCode: values.fiscalCode,
        day: values.day,
        hours,
        description: values.description,
      },
    });
    const confirmed = result.data?.confirmIesVolunteerShift;
    if (!confirmed) return failWith(result, [...FIELDS], values);
    return { confirmed, values: { circuitId: values.circuitId } as Record<string, string> };
  },
};
