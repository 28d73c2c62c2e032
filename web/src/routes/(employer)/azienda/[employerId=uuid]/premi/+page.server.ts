import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import {
  ConfirmBonusMutation,
  EmployerBonusQuery,
  RejectBonusMutation,
} from '$lib/server/operations-corporate-bonus';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

const STATUSES = ['REQUESTED', 'CONFIRMED', 'REJECTED'] as const;
type Status = (typeof STATUSES)[number];
const isStatus = (value: string | null): value is Status =>
  (STATUSES as readonly (string | null)[]).includes(value);

/** The employer's bonus conversion requests (waiting ones by default). */
export const load: PageServerLoad = async (event) => {
  const membership = requireEmployerHr(event);
  const asked = event.url.searchParams.get('stato');
  const status: Status | null = asked === 'tutte' ? null : isStatus(asked) ? asked : 'REQUESTED';
  const result = await event.locals.api(EmployerBonusQuery, {
    employerId: event.params.employerId,
    status,
  });
  throwIfForbidden(result);
  const done = event.url.searchParams.get('esito');
  return {
    employerId: event.params.employerId,
    employerName: membership.organisation.name,
    status,
    conversions: result.data?.employerBonusConversions ?? [],
    unavailable: result.unavailable || !result.data,
    done: done === 'confermata' || done === 'respinta' ? done : null,
  };
};

export const actions: Actions = {
  confirm: async (event) => {
    requireEmployerHr(event);
    const data = await event.request.formData();
    const values = { form: 'confirm', id: text(data, 'id') };
    const result = await event.locals.api(ConfirmBonusMutation, { id: values.id });
    if (!result.data?.confirmBonusConversion) {
      return failWith(result, [], values, { CONFLICT: both(m.cw_bonus_error_decided) });
    }
    return { done: 'confermata' as const };
  },
  reject: async (event) => {
    requireEmployerHr(event);
    const data = await event.request.formData();
    const values = { form: 'reject', id: text(data, 'id'), reason: text(data, 'reason') };
    const result = await event.locals.api(RejectBonusMutation, {
      id: values.id,
      reason: values.reason,
    });
    if (!result.data?.rejectBonusConversion) {
      return failWith(result, ['reason'], values, { CONFLICT: both(m.cw_bonus_error_decided) });
    }
    return { done: 'respinta' as const };
  },
};
