import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { IES_RULES_FIELDS } from '$lib/ies-members';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import { RunIesDemurrageMutation } from '$lib/server/operations-ies-comune';
import { UpdateIesCircuitRulesMutation } from '$lib/server/operations-ies-members';
import { managedCircuit } from '../circuit.server';
import type { Actions, PageServerLoad } from './$types';

type Values = Record<(typeof IES_RULES_FIELDS)[number], string>;

/** The circuit's rules editor (the API lets its MANAGER save). */
export const load: PageServerLoad = async (event) => {
  const { comuneId, circuitId } = event.params;
  const circuit = await managedCircuit(event, comuneId, circuitId);
  const values: Values = {
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

/** A whole number as typed, or NaN ('' → null for the optional ones). */
function whole(value: string): number {
  return /^-?[0-9]{1,9}$/.test(value) ? Number(value) : Number.NaN;
}

export const actions: Actions = {
  save: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const data = await event.request.formData();
    const values = Object.fromEntries(
      IES_RULES_FIELDS.map((f) => [
        f,
        f === 'welfareExempt' ? (data.get(f) === 'on' ? 'on' : '') : text(data, f),
      ]),
    ) as Values;
    const fields: Record<string, Localized> = {};
    const required = [
      'feeFixedCents',
      'feeBasisPoints',
      'conversionFeeBasisPoints',
      'conversionFeeMinCents',
      'demurrageBasisPoints',
    ] as const;
    const numbers: Record<string, number | null> = {};
    for (const f of [...required, 'feeMaxCents', 'expiryMonths'] as const) {
      if (!values[f]) {
        if ((required as readonly string[]).includes(f)) fields[f] = both(m.required_field);
        numbers[f] = null;
        continue;
      }
      const n = whole(values[f]);
      if (Number.isNaN(n)) fields[f] = both(m.iem_whole_number);
      numbers[f] = n;
    }
    if (Object.keys(fields).length > 0) {
      return invalid({ message: both(m.form_invalid), fields }, values);
    }
    const result = await event.locals.api(UpdateIesCircuitRulesMutation, {
      circuitId,
      input: {
        feeFixedCents: numbers.feeFixedCents!,
        feeBasisPoints: numbers.feeBasisPoints!,
        feeMaxCents: numbers.feeMaxCents ?? null,
        feePayer: values.feePayer === 'PAYEE' ? 'PAYEE' : 'PAYER',
        welfareExempt: values.welfareExempt === 'on',
        conversionFeeBasisPoints: numbers.conversionFeeBasisPoints!,
        conversionFeeMinCents: numbers.conversionFeeMinCents!,
        demurrageBasisPoints: numbers.demurrageBasisPoints!,
        expiryMonths: numbers.expiryMonths ?? null,
      },
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
