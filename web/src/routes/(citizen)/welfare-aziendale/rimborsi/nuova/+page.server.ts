import { error, redirect } from '@sveltejs/kit';
import { centsOrZero } from '$lib/money';
import { fileClaim } from '$lib/server/corporate-claims';
import { text } from '$lib/server/forms';
import { invalid } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import { MyClaimOptionsQuery } from '$lib/server/operations-corporate-claims';
import type { Actions, PageServerLoad } from './$types';

/** The employee's plans that allow reimbursements, with their purposes and available credit. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api(MyClaimOptionsQuery, {});
  if (!result.data) error(result.unavailable ? 503 : 500, 'Unavailable');
  return {
    options: result.data.myWelfareClaimOptions.map((o) => ({
      ...o,
      availableCents: centsOrZero(o.availableCents),
    })),
  };
};

const VALUE_FIELDS = [
  'planId',
  'purpose',
  'relationship',
  'beneficiaryName',
  'beneficiaryFiscalCode',
  'beneficiaryBirthDate',
  'expenseDate',
  'description',
  'amount',
] as const;

export const actions: Actions = {
  /** Files the claim with its receipts (one multipart form to the gateway's upload route). */
  default: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const values: Record<string, string> = Object.fromEntries(
      VALUE_FIELDS.map((name) => [name, text(data, name)]),
    );
    values.beneficiaryDependent = data.has('beneficiaryDependent') ? 'on' : '';
    const outcome = await fileClaim(
      {
        token: event.locals.sessionToken,
        clientAddress: event.locals.clientAddress,
        requestId: event.locals.requestId,
      },
      data,
    );
    if (!outcome.ok) return invalid(outcome.failure, values, outcome.status);
    redirect(303, `/welfare-aziendale/rimborsi/${encodeURIComponent(outcome.claimId)}?inviata=1`);
  },
};
