// Creating an IES circuit: the form's fields, defaults and action, shared by the Comune's page and
// the platform admin's (who picks the Comune).
import type { RequestEvent } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { IES_CREATE_FIELDS, type IesCreateValues } from '$lib/ies-create';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from './forms';
import { parseIesRules, readIesRuleValues } from './ies-rule-form';
import { CreateIesCircuitMutation } from './operations-ies-create';

/** The form's defaults: no fee, welfare exempt, no demurrage, no expiry. */
export function defaultIesCreateValues(managerId = ''): IesCreateValues {
  return {
    managerId,
    code: '',
    name: '',
    territory: '',
    feeFixedCents: '0',
    feeBasisPoints: '0',
    feeMaxCents: '',
    feePayer: 'PAYER',
    welfareExempt: 'on',
    conversionFeeBasisPoints: '0',
    conversionFeeMinCents: '0',
    demurrageBasisPoints: '0',
    expiryMonths: '',
  };
}

/**
 * Reads the posted form and asks the API to create the circuit for `managerId` (the Comune of the
 * address, or the one the admin picked). Returns the new circuit, or the form's failure with the
 * values typed (the API's field errors, or the portal's own for empty and non-numeric fields).
 */
export async function createIesCircuitFromForm(event: RequestEvent, managerId: string | null) {
  const data = await event.request.formData();
  const values: IesCreateValues = {
    managerId: managerId ?? text(data, 'managerId'),
    code: text(data, 'code'),
    name: text(data, 'name'),
    territory: text(data, 'territory'),
    ...readIesRuleValues(data),
  };
  const fields: Record<string, Localized> = {};
  for (const f of ['managerId', 'code', 'name', 'territory'] as const) {
    if (!values[f]) fields[f] = both(m.required_field);
  }
  const { rules, fields: ruleFields } = parseIesRules(values);
  Object.assign(fields, ruleFields);
  if (!rules || Object.keys(fields).length > 0) {
    return { failure: invalid({ message: both(m.form_invalid), fields }, values) };
  }
  const result = await event.locals.api(CreateIesCircuitMutation, {
    input: {
      managerId: values.managerId,
      code: values.code,
      name: values.name,
      territory: values.territory,
      ...rules,
    },
  });
  const created = result.data?.createIesCircuit;
  if (!created) return { failure: failWith(result, [...IES_CREATE_FIELDS], values) };
  return { created };
}
