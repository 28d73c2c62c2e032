import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { formatEuroInput, parseEuroAmount } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { canReconcileMoney } from '$lib/roles';
import { type FormFailure, formFailure, statusOf } from '$lib/server/errors';
import { requireComuneStaff } from '$lib/server/guards';
import { DecisionPolicyQuery, SetDecisionPolicyMutation } from '$lib/server/operations-approval';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

/** The largest limit the API accepts (100,000,000 €, as a campaign's budget). */
const MAX_LIMIT_CENTS = 10_000_000_000;

/**
 * The Comune's decision policy (the second approval): read by its staff, set by its MANAGER (the
 * API refuses anyone else). Off when never set.
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(DecisionPolicyQuery, { comuneId });
  throwIfForbidden(result);
  const policy = result.data?.decisionPolicy ?? null;
  return {
    comuneId,
    manager: canReconcileMoney(viewer, comuneId),
    policy: policy
      ? {
          secondApproval: policy.secondApproval,
          limit: policy.amountLimitCents == null ? '' : formatEuroInput(policy.amountLimitCents),
        }
      : null,
    saved: event.url.searchParams.get('esito') === 'salvato',
  };
};

interface PolicyActionResult {
  failure: FormFailure;
  values: { secondApproval: boolean; limit: string };
}

export const actions: Actions = {
  default: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const secondApproval = data.get('secondApproval') === 'on';
    const limitValue = data.get('limit');
    const limit = typeof limitValue === 'string' ? limitValue.trim() : '';
    const values = { secondApproval, limit };
    let amountLimitCents: number | null = null;
    if (limit) {
      const parsed = parseEuroAmount(limit, MAX_LIMIT_CENTS);
      if (!('cents' in parsed)) {
        return fail(400, {
          failure: {
            message: both(m.form_invalid),
            fields: { amountLimitCents: both(m.policy_error_limit) },
          },
          values,
        } satisfies PolicyActionResult);
      }
      amountLimitCents = parsed.cents;
    }
    const result = await event.locals.api(SetDecisionPolicyMutation, {
      comuneId,
      secondApproval,
      amountLimitCents,
    });
    if (!result.data?.setDecisionPolicy) {
      return fail(statusOf(result), {
        failure: result.unavailable
          ? { message: both(m.error_503_text), fields: {} }
          : formFailure(result.errors, ['amountLimitCents']),
        values,
      } satisfies PolicyActionResult);
    }
    redirect(303, `/comune/${comuneId}/decisioni?esito=salvato`);
  },
};
