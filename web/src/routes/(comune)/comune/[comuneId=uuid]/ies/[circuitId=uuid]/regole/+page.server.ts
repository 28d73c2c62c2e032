import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { IES_RULES_FIELDS } from '$lib/ies-members';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid } from '$lib/server/forms';
import { type IesRuleValues, parseIesRules, readIesRuleValues } from '$lib/server/ies-rule-form';
import { RunIesDemurrageMutation } from '$lib/server/operations-ies-comune';
import { UpdateIesCircuitRulesMutation } from '$lib/server/operations-ies-members';
import { managedCircuit } from '../circuit.server';
import type { Actions, PageServerLoad } from './$types';

/** The circuit's rules editor (the API lets its MANAGER save). */
export const load: PageServerLoad = async (event) => {
  const { comuneId, circuitId } = event.params;
  const circuit = await managedCircuit(event, comuneId, circuitId);
  const values: IesRuleValues = {
    feeFixedCents: String(circuit.feeFixedCents),
    feeBasisPoints: String(circuit.feeBasisPoints),
    feeMaxCents: circuit.feeMaxCents === null ? '' : String(circuit.feeMaxCents),
    feePayer: circuit.feePayer,
    welfareExempt: circuit.welfareExempt ? 'on' : '',
    conversionFeeBasisPoints: String(circuit.conversionFeeBasisPoints),
    conversionFeeMinCents: String(circuit.conversionFeeMinCents),
    demurrageBasisPoints: String(circuit.demurrageBasisPoints),
    expiryMonths: circuit.expiryMonths === null ? '' : String(circuit.expiryMonths),
  };
  return {
    comuneId,
    circuit: { id: circuit.id, name: circuit.name },
    values,
    saved: event.url.searchParams.get('esito') === 'saved',
  };
};

export const actions: Actions = {
  save: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const values = readIesRuleValues(await event.request.formData());
    const { rules, fields } = parseIesRules(values);
    if (!rules) return invalid({ message: both(m.form_invalid), fields }, values);
    const result = await event.locals.api(UpdateIesCircuitRulesMutation, {
      circuitId,
      input: rules,
    });
    if (!result.data) return failWith(result, [...IES_RULES_FIELDS], values);
    redirect(303, `/comune/${comuneId}/ies/${circuitId}/regole?esito=saved#esito`);
  },
  /** Runs the circuit's demurrage and expiry now (the API lets its MANAGER): what it did. */
  demurrage: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const result = await event.locals.api(RunIesDemurrageMutation, { circuitId });
    const run = result.data?.runIesDemurrage;
    if (!run) {
      const failed = failWith(result, [], {}, { FORBIDDEN: both(m.ier_manager_only) });
      return fail(failed.status, { runFailure: failed.data.failure.message });
    }
    return { run };
  },
};
