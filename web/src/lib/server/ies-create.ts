// Creating an IES circuit: the form's fields, defaults and action, shared by the Comune's page and
// the platform admin's (who picks the Comune).
import type { RequestEvent } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { IES_CREATE_FIELDS, type IesCreateValues } from '$lib/ies-create';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from './forms';
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

/** A whole number as typed, or NaN. */
function whole(value: string): number {
  return /^-?[0-9]{1,9}$/.test(value) ? Number(value) : Number.NaN;
}

const REQUIRED_NUMBERS = [
  'feeFixedCents',
  'feeBasisPoints',
  'conversionFeeBasisPoints',
  'conversionFeeMinCents',
  'demurrageBasisPoints',
] as const;

/**
 * Reads the posted form and asks the API to create the circuit for `managerId` (the Comune of the
 * address, or the one the admin picked). Returns the new circuit, or the form's failure with the
 * values typed (the API's field errors, or the portal's own for empty and non-numeric fields).
 */
export async function createIesCircuitFromForm(event: RequestEvent, managerId: string | null) {
  const data = await event.request.formData();
  const values = Object.fromEntries(
    IES_CREATE_FIELDS.map((f) => [
      f,
      f === 'welfareExempt' ? (data.get(f) === 'on' ? 'on' : '') : text(data, f),
    ]),
  ) as IesCreateValues;
  if (managerId) values.managerId = managerId;
  const fields: Record<string, Localized> = {};
  for (const f of ['managerId', 'code', 'name', 'territory'] as const) {
    if (!values[f]) fields[f] = both(m.required_field);
  }
  const numbers: Record<string, number | null> = {};
  for (const f of [...REQUIRED_NUMBERS, 'feeMaxCents', 'expiryMonths'] as const) {
    if (!values[f]) {
      if ((REQUIRED_NUMBERS as readonly string[]).includes(f)) fields[f] = both(m.required_field);
      numbers[f] = null;
      continue;
    }
    const n = whole(values[f]);
    if (Number.isNaN(n)) fields[f] = both(m.iem_whole_number);
    numbers[f] = n;
  }
  if (Object.keys(fields).length > 0) {
    return { failure: invalid({ message: both(m.form_invalid), fields }, values) };
  }
  const result = await event.locals.api(CreateIesCircuitMutation, {
    input: {
      managerId: values.managerId,
      code: values.code,
      name: values.name,
      territory: values.territory,
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
  const created = result.data?.createIesCircuit;
  if (!created) return { failure: failWith(result, [...IES_CREATE_FIELDS], values) };
  return { created };
}
