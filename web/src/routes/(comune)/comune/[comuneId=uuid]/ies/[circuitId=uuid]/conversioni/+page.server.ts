import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import { managedCircuit } from '$lib/server/ies-reserve';
import {
  ApproveIesConversionMutation,
  IesCircuitConversionsQuery,
  RejectIesConversionMutation,
} from '$lib/server/operations-ies-reserve';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

const STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
type Status = (typeof STATUSES)[number];
const isStatus = (value: string | null): value is Status =>
  (STATUSES as readonly (string | null)[]).includes(value);

/** The circuit's conversions to euro (waiting ones by default), approved or rejected here. */
export const load: PageServerLoad = async (event) => {
  const { comuneId, circuitId } = event.params;
  const circuit = await managedCircuit(event, comuneId, circuitId);
  const asked = event.url.searchParams.get('stato');
  const status: Status | null = asked === 'tutte' ? null : isStatus(asked) ? asked : 'PENDING';
  const result = await event.locals.api(IesCircuitConversionsQuery, { circuitId, status });
  throwIfForbidden(result);
  return {
    comuneId,
    circuit,
    status,
    conversions: result.data?.iesCircuitConversions ?? [],
    unavailable: result.unavailable || !result.data,
  };
};

const DECIDED = both(m.ier_conversion_decided);
const MANAGER_ONLY = both(m.ier_manager_only);

/**
 * A decision waiting for its confirmation: the first post sends nothing to the API; the page states
 * the consequence and posts the same values again with `confirmed=1`.
 */
function confirmFirst(values: { form: 'approve' | 'reject'; id: string; reason: string }) {
  return { confirm: values };
}

export const actions: Actions = {
  approve: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const data = await event.request.formData();
    const values = { form: 'approve' as const, id: text(data, 'id'), reason: '' };
    if (data.get('confirmed') !== '1') return confirmFirst(values);
    const result = await event.locals.api(ApproveIesConversionMutation, { id: values.id });
    if (!result.data?.approveIesConversion) {
      return failWith(result, [], values, { CONFLICT: DECIDED, FORBIDDEN: MANAGER_ONLY });
    }
    return { done: 'approved' as const };
  },
  reject: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const data = await event.request.formData();
    const values = { form: 'reject' as const, id: text(data, 'id'), reason: text(data, 'reason') };
    // The subgraph's bounds of the reason (3 to 500 characters), checked before asking.
    if (values.reason.length < 3 || values.reason.length > 500) {
      return invalid(
        { message: both(m.form_invalid), fields: { reason: both(m.ier_error_reason) } },
        values,
      );
    }
    if (data.get('confirmed') !== '1') return confirmFirst(values);
    const result = await event.locals.api(RejectIesConversionMutation, {
      id: values.id,
      reason: values.reason,
    });
    if (!result.data?.rejectIesConversion) {
      return failWith(result, ['reason'], values, {
        CONFLICT: DECIDED,
        FORBIDDEN: MANAGER_ONLY,
      });
    }
    return { done: 'rejected' as const };
  },
};
