import { fail, redirect } from '@sveltejs/kit';
import { TS_STATUSES } from '$lib/accreditation-labels';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { canManageOrganisation } from '$lib/roles';
import {
  ComuneAccreditationsQuery,
  RetireRequirementMutation,
  SaveRequirementMutation,
} from '$lib/server/accreditation';
import { failWith, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { throwIfForbidden } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['saved', 'retired'] as const;

/** The Comune's checklist and its queue of providers' requests (filtered by status). */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const stato = event.url.searchParams.get('stato');
  const status = TS_STATUSES.find((s) => s === stato && s !== 'DRAFT') ?? null;
  const result = await event.locals.api(ComuneAccreditationsQuery, {
    comuneId,
    filter: status ? { statuses: [status], first: 200 } : { first: 200 },
  });
  throwIfForbidden(result);
  const esito = event.url.searchParams.get('esito');
  return {
    comuneId,
    status,
    manager: canManageOrganisation(viewer, { id: comuneId, kind: 'COMUNE' }),
    requirements: result.data?.accreditationRequirements ?? [],
    queue: result.data?.providerAccreditationQueue ?? { totalCount: 0, items: [] },
    notice: NOTICES.find((n) => n === esito) ?? null,
    unavailable: result.unavailable || !result.data?.providerAccreditationQueue,
  };
};

const REQUIREMENT_FIELDS = ['code', 'textIt', 'textEn', 'position'] as const;

export const actions: Actions = {
  saveRequirement: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = {
      code: text(data, 'code'),
      textIt: text(data, 'textIt'),
      textEn: text(data, 'textEn'),
      position: text(data, 'position'),
      documentRequired: data.get('documentRequired') === 'on' ? 'on' : '',
    };
    const position = values.position === '' ? 0 : Number(values.position);
    if (!Number.isInteger(position)) {
      const fields: Record<string, Localized> = { position: both(m.form_invalid) };
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(SaveRequirementMutation, {
      input: {
        comuneId,
        code: values.code,
        textIt: values.textIt,
        textEn: values.textEn,
        documentRequired: values.documentRequired === 'on',
        position,
      },
    });
    if (!result.data?.saveAccreditationRequirement) {
      return failWith(result, REQUIREMENT_FIELDS, values);
    }
    redirect(303, `/comune/${comuneId}/enti?esito=saved#esito`);
  },
  retireRequirement: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const id = text(data, 'id');
    if (!isUuid(id)) {
      const fields: Record<string, Localized> = {};
      return fail(400, { failure: { message: both(m.form_invalid), fields } });
    }
    const result = await event.locals.api(RetireRequirementMutation, { id });
    if (!result.data?.retireAccreditationRequirement) return failWith(result, [], {});
    redirect(303, `/comune/${comuneId}/enti?esito=retired#esito`);
  },
};
