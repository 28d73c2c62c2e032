import { redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { centsOrZero } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import {
  ApproveClaimMutation,
  ClaimQuery,
  RejectClaimMutation,
} from '$lib/server/operations-corporate-claims';
import { requireFound } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

const pagePath = (employerId: string, claimId: string, done: string) =>
  `/azienda/${encodeURIComponent(employerId)}/rimborsi/${encodeURIComponent(claimId)}?fatto=${done}`;

/** A claim with its receipts, for HR to decide. */
export const load: PageServerLoad = async (event) => {
  requireEmployerHr(event);
  const result = await event.locals.api(ClaimQuery, { id: event.params.claimId });
  const claim = requireFound(result.data?.welfareClaim, result);
  const done = event.url.searchParams.get('fatto');
  return {
    employerId: event.params.employerId,
    claim: { ...claim, amountCents: centsOrZero(claim.amountCents) },
    done: done === 'approvata' || done === 'respinta' ? done : null,
  };
};

export const actions: Actions = {
  /** Approves the claim: the amount moves from the employee's credit to payroll. */
  approve: async (event) => {
    requireEmployerHr(event);
    const { employerId, claimId } = event.params;
    const result = await event.locals.api(ApproveClaimMutation, { id: claimId });
    if (!result.data?.approveWelfareClaim) return failWith(result, [], { reason: '' });
    redirect(303, pagePath(employerId, claimId, 'approvata'));
  },

  /** Rejects the claim with a reason the employee reads. */
  reject: async (event) => {
    requireEmployerHr(event);
    const { employerId, claimId } = event.params;
    const data = await event.request.formData();
    const values = { reason: text(data, 'reason') };
    if (!values.reason) {
      return invalid(
        { message: both(m.form_invalid), fields: { reason: both(m.required_field) } },
        values,
      );
    }
    const result = await event.locals.api(RejectClaimMutation, {
      id: claimId,
      reason: values.reason,
    });
    if (!result.data?.rejectWelfareClaim) return failWith(result, ['reason'], values);
    redirect(303, pagePath(employerId, claimId, 'respinta'));
  },
};
