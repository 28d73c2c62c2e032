import { error, fail, redirect } from '@sveltejs/kit';
import { romeToday } from '$lib/dates';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { centsOrZero } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { canReconcileMoney } from '$lib/roles';
import { type FormFailure, formFailure, statusOf } from '$lib/server/errors';
import type { GatewayResult } from '$lib/server/gateway';
import { requireComuneStaff } from '$lib/server/guards';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import {
  ConfirmDecisionMutation,
  PendingDecisionQuery,
  ReturnDecisionMutation,
} from '$lib/server/operations-approval';
import {
  AssignMutation,
  CaseQuery,
  DecideMutation,
  RequestIntegrationMutation,
  RevokeBenefitMutation,
  StartReviewMutation,
} from '../operations.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The case's actions; each form has its own fields (`<action>-reason`). */
export type CaseAction =
  | 'assign'
  | 'release'
  | 'review'
  | 'integration'
  | 'approve'
  | 'reject'
  | 'confirm'
  | 'return'
  | 'revoke';

const NOTICES: readonly CaseAction[] = [
  'assign',
  'release',
  'review',
  'integration',
  'approve',
  'reject',
  'confirm',
  'return',
  'revoke',
];

export const load: PageServerLoad = async (event) => {
  const { comuneId, applicationId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(CaseQuery, { id: applicationId });
  throwIfForbidden(result);
  const application = requireFound(result.data?.application, result);
  // A case of another Comune (or a draft, which is the applicant's alone) is not shown here.
  if (application.campaign.comune.id !== comuneId || application.status === 'DRAFT') {
    error(404, 'Not found');
  }
  // A decision waiting for a MANAGER's second approval: what was proposed, and by whom.
  const pending =
    application.status === 'PENDING_APPROVAL'
      ? ((await event.locals.api(PendingDecisionQuery, { id: applicationId })).data?.application
          ?.pendingDecision ?? null)
      : null;
  return {
    comuneId,
    application: {
      ...application,
      amountCents: application.amountCents == null ? null : centsOrZero(application.amountCents),
      revokedReturnedCents:
        application.revokedReturnedCents == null
          ? null
          : centsOrZero(application.revokedReturnedCents),
      revokedSpentCents:
        application.revokedSpentCents == null ? null : centsOrZero(application.revokedSpentCents),
      facts: application.facts
        ? {
            ...application.facts,
            iseeCents:
              application.facts.iseeCents == null ? null : centsOrZero(application.facts.iseeCents),
          }
        : null,
    },
    pending: pending
      ? {
          ...pending,
          amountCents: pending.amountCents == null ? null : centsOrZero(pending.amountCents),
        }
      : null,
    manager: canReconcileMoney(viewer, comuneId),
    today: romeToday(),
    notice: NOTICES.find((n) => n === event.url.searchParams.get('esito')) ?? null,
  };
};

/** What every action returns to the page. */
interface CaseActionResult {
  action: CaseAction;
  failure: FormFailure;
  values: { reason: string };
}

function guard(event: RequestEvent): { comuneId: string; id: string } {
  const { comuneId, applicationId } = event.params;
  requireComuneStaff(event, comuneId);
  return { comuneId, id: applicationId };
}

function refused(action: CaseAction, result: GatewayResult<unknown>, reason = '') {
  const failure: FormFailure = result.unavailable
    ? { message: both(m.error_503_text), fields: {} }
    : formFailure(result.errors, ['reason'], { CONFLICT: both(m.case_error_conflict) });
  return fail(statusOf(result), {
    action,
    failure,
    values: { reason },
  } satisfies CaseActionResult);
}

function done(comuneId: string, id: string, action: CaseAction): never {
  redirect(303, `/comune/${comuneId}/domande/${id}?esito=${action}#esito`);
}

async function reasonOf(event: RequestEvent): Promise<string> {
  return (await decisionOf(event)).reason;
}

/** A decision's form: its reason, and whether the confirmation step was passed (`confirmed=1`). */
async function decisionOf(event: RequestEvent): Promise<{ reason: string; confirmed: boolean }> {
  const data = await event.request.formData();
  const value = data.get('reason');
  return {
    reason: typeof value === 'string' ? value.trim() : '',
    confirmed: data.get('confirmed') === '1',
  };
}

/**
 * A decision asks first (nothing sent to the API): the page shows its consequence and a form
 * that posts the same decision again with `confirmed=1`, and a way back that changes nothing.
 */
function confirmFirst(action: 'approve' | 'reject', reason: string) {
  return { action, confirm: true as const, values: { reason } };
}

function missingReason(action: CaseAction, message: Localized) {
  return fail(400, {
    action,
    failure: { message: both(m.form_invalid), fields: { reason: message } },
    values: { reason: '' },
  } satisfies CaseActionResult);
}

export const actions: Actions = {
  assign: async (event) => {
    const { comuneId, id } = guard(event);
    const result = await event.locals.api(AssignMutation, { id, release: false });
    if (!result.data?.assignApplication) return refused('assign', result);
    done(comuneId, id, 'assign');
  },
  release: async (event) => {
    const { comuneId, id } = guard(event);
    const result = await event.locals.api(AssignMutation, { id, release: true });
    if (!result.data?.assignApplication) return refused('release', result);
    done(comuneId, id, 'release');
  },
  review: async (event) => {
    const { comuneId, id } = guard(event);
    const result = await event.locals.api(StartReviewMutation, { id });
    if (!result.data?.startApplicationReview) return refused('review', result);
    done(comuneId, id, 'review');
  },
  integration: async (event) => {
    const { comuneId, id } = guard(event);
    const reason = await reasonOf(event);
    if (!reason) return missingReason('integration', both(m.case_error_integration_reason));
    const result = await event.locals.api(RequestIntegrationMutation, { id, reason });
    if (!result.data?.requestApplicationIntegration) return refused('integration', result, reason);
    done(comuneId, id, 'integration');
  },
  approve: async (event) => {
    const { comuneId, id } = guard(event);
    const { reason, confirmed } = await decisionOf(event);
    if (!confirmed) return confirmFirst('approve', reason);
    const result = await event.locals.api(DecideMutation, {
      id,
      approve: true,
      reason: reason || null,
    });
    if (!result.data?.decideApplication) return refused('approve', result, reason);
    done(comuneId, id, 'approve');
  },
  reject: async (event) => {
    const { comuneId, id } = guard(event);
    const { reason, confirmed } = await decisionOf(event);
    if (!reason) return missingReason('reject', both(m.case_error_reject_reason));
    if (!confirmed) return confirmFirst('reject', reason);
    const result = await event.locals.api(DecideMutation, { id, approve: false, reason });
    if (!result.data?.decideApplication) return refused('reject', result, reason);
    done(comuneId, id, 'reject');
  },
  confirm: async (event) => {
    const { comuneId, id } = guard(event);
    const { confirmed } = await decisionOf(event);
    if (!confirmed) {
      return { action: 'confirm' as const, approval: true as const, values: { reason: '' } };
    }
    const result = await event.locals.api(ConfirmDecisionMutation, { id });
    if (!result.data?.confirmDecision) return refused('confirm', result);
    done(comuneId, id, 'confirm');
  },
  return: async (event) => {
    const { comuneId, id } = guard(event);
    const { reason, confirmed } = await decisionOf(event);
    if (!reason) return missingReason('return', both(m.approval_error_return_reason));
    if (!confirmed) {
      return { action: 'return' as const, approval: true as const, values: { reason } };
    }
    const result = await event.locals.api(ReturnDecisionMutation, { id, reason });
    if (!result.data?.returnDecision) return refused('return', result, reason);
    done(comuneId, id, 'return');
  },
  /**
   * The MANAGER revokes a granted benefit (decadenza): a reason, then the shared confirmation,
   * then the API (which refuses an OPERATOR); the page shows what went back and what was spent.
   */
  revoke: async (event) => {
    const { comuneId, id } = guard(event);
    const { reason, confirmed } = await decisionOf(event);
    if (!reason) return missingReason('revoke', both(m.case_error_revoke_reason));
    if (!confirmed)
      return { action: 'revoke' as const, revoking: true as const, values: { reason } };
    const result = await event.locals.api(RevokeBenefitMutation, {
      input: { applicationId: id, reason },
    });
    if (!result.data?.revokeBenefit) return refused('revoke', result, reason);
    done(comuneId, id, 'revoke');
  },
};
