import { redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { parseIes } from '$lib/ies-amounts';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, missing, text } from '$lib/server/forms';
import { CreateIesProjectMutation, IesCircuitsQuery } from '$lib/server/operations-ies-catalogue';
import { throwIfForbidden } from '$lib/server/refusals';
import { requireProviderAdmin } from '../../../access';
import type { Actions, PageServerLoad } from './$types';

/** The API's fields of a project, by the form's field names. */
const FIELDS = ['circuitCode', 'title', 'description', 'targetCents', 'endsOn'] as const;

/** A new fundraising project (the organisation's ADMINs). */
export const load: PageServerLoad = async (event) => {
  const membership = requireProviderAdmin(event);
  const result = await event.locals.api(IesCircuitsQuery, {});
  return {
    providerId: event.params.providerId,
    providerName: membership.organisation.name,
    circuits: result.data?.iesCircuits ?? [],
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireProviderAdmin(event);
    const { providerId } = event.params;
    const data = await event.request.formData();
    const values = {
      circuitCode: text(data, 'circuitCode'),
      title: text(data, 'title'),
      description: text(data, 'description'),
      target: text(data, 'target'),
      endsOn: text(data, 'endsOn'),
    };
    const absent = missing(values, ['circuitCode', 'title', 'description', 'target', 'endsOn']);
    const targetCents = parseIes(values.target);
    if (absent || targetCents === null) {
      const fields = { ...(absent?.fields ?? {}) };
      if (values.target && targetCents === null) fields.target = both(m.iec_amount_invalid);
      return invalid({ message: both(m.form_invalid), fields }, values);
    }
    const result = await event.locals.api(CreateIesProjectMutation, {
      input: {
        circuitCode: values.circuitCode,
        organisationId: providerId,
        title: values.title,
        description: values.description,
        targetCents,
        endsOn: values.endsOn,
      },
    });
    throwIfForbidden(result);
    if (!result.data?.createIesProject) {
      const failed = failWith(result, FIELDS, values);
      const fields = failed.data.failure.fields;
      if (fields.targetCents) {
        fields.target = fields.targetCents;
        delete fields.targetCents;
      }
      return failed;
    }
    redirect(303, `/ente/${providerId}/ies/progetti?fatto=creato`);
  },
};
