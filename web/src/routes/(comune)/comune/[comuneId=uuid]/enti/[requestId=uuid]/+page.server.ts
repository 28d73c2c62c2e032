import { error, redirect } from '@sveltejs/kit';
import { canManageOrganisation } from '$lib/roles';
import {
  AccreditationRequestQuery,
  DecideAccreditationMutation,
  ReinstateAccreditationMutation,
  RequestIntegrationMutation,
  StartReviewMutation,
  SuspendAccreditationMutation,
} from '$lib/server/accreditation';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import type { GatewayResult } from '$lib/server/gateway';
import { requireComuneStaff } from '$lib/server/guards';
import { requireFound } from '$lib/server/refusals';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** One request addressed to the Comune: declarations, documents, history and the actions. */
export const load: PageServerLoad = async (event) => {
  const { comuneId, requestId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(AccreditationRequestQuery, { id: requestId });
  const request = requireFound(result.data?.providerAccreditation, result);
  if (request.comuneId !== comuneId) error(404, 'Not found');
  return {
    comuneId,
    request,
    manager: canManageOrganisation(viewer, { id: comuneId, kind: 'COMUNE' }),
    done: event.url.searchParams.get('esito') === 'ok',
  };
};

/** After a step: back to the page with a notice. */
function done(event: RequestEvent): never {
  const { comuneId, requestId } = event.params;
  redirect(303, `/comune/${comuneId}/enti/${requestId}?esito=ok#esito`);
}

interface StepValues extends Record<string, string> {
  reason: string;
  form: string;
  outcome: string;
  validUntil: string;
}

/**
 * A decision asks first (nothing sent to the API): the portal checks that the reason and, to
 * accredit, the expiry are there (the subgraph checks every rule again), then the page states the
 * consequence and posts the same values again with `confirmed=1`.
 */
function confirmFirst(values: StepValues) {
  const fields: Record<string, Localized> = {};
  if (values.reason.trim().length < 5) fields.reason = both(m.ts_error_reason);
  if (values.outcome === 'ACCREDITED' && !values.validUntil) {
    fields.validUntil = both(m.ts_error_valid_until);
  }
  if (Object.keys(fields).length > 0) {
    return invalid({ message: both(m.form_invalid), fields }, values);
  }
  return { confirm: true as const, values };
}

/** A step that takes only a reason (integration; suspension and reinstatement confirm first). */
async function withReason(
  event: RequestEvent,
  form: string,
  run: (id: string, reason: string) => Promise<GatewayResult<Record<string, unknown>>>,
) {
  requireComuneStaff(event, event.params.comuneId);
  const data = await event.request.formData();
  const reason = text(data, 'reason');
  if (form !== 'integrate' && data.get('confirmed') !== '1') {
    return confirmFirst({ reason, form, outcome: '', validUntil: '' });
  }
  const result = await run(event.params.requestId, reason);
  const value = result.data ? Object.values(result.data)[0] : null;
  if (!value) return failWith(result, ['reason'], { reason, form, outcome: '', validUntil: '' });
  done(event);
}

export const actions: Actions = {
  review: async (event) => {
    requireComuneStaff(event, event.params.comuneId);
    const result = await event.locals.api(StartReviewMutation, { id: event.params.requestId });
    if (!result.data?.startProviderAccreditationReview) {
      return failWith(result, [], { reason: '', form: 'review', outcome: '', validUntil: '' });
    }
    done(event);
  },
  integrate: (event) =>
    withReason(event, 'integrate', (id, reason) =>
      event.locals.api(RequestIntegrationMutation, { id, reason }),
    ),
  suspend: (event) =>
    withReason(event, 'suspend', (id, reason) =>
      event.locals.api(SuspendAccreditationMutation, { id, reason }),
    ),
  reinstate: (event) =>
    withReason(event, 'reinstate', (id, reason) =>
      event.locals.api(ReinstateAccreditationMutation, { id, reason }),
    ),
  decide: async (event) => {
    requireComuneStaff(event, event.params.comuneId);
    const data = await event.request.formData();
    const outcome = text(data, 'outcome') === 'REJECTED' ? 'REJECTED' : 'ACCREDITED';
    const reason = text(data, 'reason');
    const validUntil = text(data, 'validUntil');
    if (data.get('confirmed') !== '1') {
      return confirmFirst({ reason, form: 'decide', outcome, validUntil });
    }
    const result = await event.locals.api(DecideAccreditationMutation, {
      id: event.params.requestId,
      input: { outcome, reason, validUntil: validUntil || null },
    });
    if (!result.data?.decideProviderAccreditation) {
      return failWith(result, ['reason', 'validUntil', 'outcome'], {
        reason,
        form: 'decide',
        outcome,
        validUntil,
      });
    }
    done(event);
  },
};
