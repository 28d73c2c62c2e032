import { error, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { type FormFailure, formFailure } from '$lib/server/errors';
import type { GatewayResult } from '$lib/server/gateway';
import {
  CloseCorporatePlanMutation,
  CorporatePlanQuery,
  FundCorporatePlanMutation,
  PublishCorporatePlanMutation,
  UpdateCorporatePlanMutation,
  uploadPlanRegulation,
} from '$lib/server/operations-corporate-plans';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { sendPlanForm } from '../plan-actions.server';
import { knownFields, type PlanValues, planValues } from '../plan-form';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOTICES = ['created', 'saved', 'uploaded', 'published', 'funded', 'closed'] as const;

const cents = (value: string | null) =>
  value !== null && /^\d{1,15}$/.test(value) ? Number(value) : null;

/** One plan of the employer: its rules, regulation, funding and the actions of its life. */
export const load: PageServerLoad = async (event) => {
  requireEmployerHr(event);
  const { employerId, planId } = event.params;
  const result = await event.locals.api(CorporatePlanQuery, { id: planId });
  throwIfForbidden(result);
  const plan = requireFound(result.data?.welfarePlan, result);
  if (plan.employerId !== employerId) error(404, 'Not found');
  const params = event.url.searchParams;
  const esito = params.get('esito');
  return {
    employerId,
    plan,
    values: planValues(plan),
    notice: NOTICES.find((n) => n === esito) ?? null,
    closure:
      esito === 'closed'
        ? {
            returnedCents: cents(params.get('reso')),
            carriedOverCents: cents(params.get('riportato')),
            fellBack: params.get('senzaPiano') === '1',
          }
        : null,
  };
};

/** A refused action that is not the plan form: its message in the summary (and on `field`). */
function refused(result: GatewayResult<unknown>, field?: string) {
  const failure: FormFailure = result.unavailable
    ? { message: both(m.error_503_text), fields: {} }
    : formFailure(result.errors, knownFields());
  if (field && !failure.fields[field]) failure.fields[field] = failure.message;
  const code = result.errors[0]?.code;
  const status = result.unavailable ? 503 : code === 'CONFLICT' ? 409 : 400;
  return fail(status, { failure, values: null as PlanValues | null });
}

function done(event: RequestEvent, notice: (typeof NOTICES)[number], extra = '') {
  const { employerId, planId } = event.params;
  redirect(303, `/azienda/${employerId}/piani/${planId}?esito=${notice}${extra}#esito`);
}

export const actions: Actions = {
  update: async (event) => {
    requireEmployerHr(event);
    const id = event.params.planId;
    const outcome = await sendPlanForm(event.request, (input) =>
      event.locals.api(UpdateCorporatePlanMutation, { id, input }),
    );
    if (outcome.failed) return outcome.failed;
    done(event, 'saved');
  },
  upload: async (event) => {
    requireEmployerHr(event);
    const data = await event.request.formData();
    const file = data.get('file');
    const refuse = (message: Localized, status = 400) =>
      fail(status, {
        failure: { message: both(m.cwp_upload_failed), fields: { file: message } },
        values: null as PlanValues | null,
      });
    if (!(file instanceof File) || file.size === 0) return refuse(both(m.cwp_upload_missing));
    const outcome = await uploadPlanRegulation(
      {
        token: event.locals.sessionToken,
        clientAddress: event.locals.clientAddress,
        requestId: event.locals.requestId,
      },
      { planId: event.params.planId, file },
    );
    if (!outcome.ok) {
      if (outcome.status === 403) error(403, 'Forbidden');
      const reason =
        outcome.error?.fields.find((f) => f.field === 'file')?.message ??
        outcome.error?.messages ??
        both(m.error_503_text);
      return refuse(reason, outcome.status >= 400 && outcome.status < 600 ? outcome.status : 400);
    }
    done(event, 'uploaded');
  },
  publish: async (event) => {
    requireEmployerHr(event);
    const result = await event.locals.api(PublishCorporatePlanMutation, {
      id: event.params.planId,
    });
    if (!result.data) {
      throwIfForbidden(result);
      return refused(result);
    }
    done(event, 'published');
  },
  fund: async (event) => {
    requireEmployerHr(event);
    const result = await event.locals.api(FundCorporatePlanMutation, { id: event.params.planId });
    if (!result.data) {
      throwIfForbidden(result);
      return refused(result);
    }
    done(event, 'funded');
  },
  close: async (event) => {
    requireEmployerHr(event);
    const result = await event.locals.api(CloseCorporatePlanMutation, { id: event.params.planId });
    const closure = result.data?.closeWelfarePlan;
    if (!closure) {
      throwIfForbidden(result);
      return refused(result);
    }
    done(
      event,
      'closed',
      `&reso=${closure.returnedCents}&riportato=${closure.carriedOverCents}${closure.carryOverFellBack ? '&senzaPiano=1' : ''}`,
    );
  },
};
