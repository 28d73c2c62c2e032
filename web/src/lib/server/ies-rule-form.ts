// An IES circuit's rules as the forms post them (the Comune's rules page and the new circuit's
// form, the Comune's and the platform admin's): read, checked for empty and non-numeric fields,
// and turned into the API's input. The API checks the ranges.
import { both } from '$lib/i18n';
import { IES_RULES_FIELDS } from '$lib/ies-members';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { text } from './forms';

/** The rule fields as typed. */
export type IesRuleValues = Record<(typeof IES_RULES_FIELDS)[number], string>;

/** The rules as the API takes them (`IesCircuitRulesInput` and the create input's rule fields). */
export interface IesRules {
  feeFixedCents: number;
  feeBasisPoints: number;
  feeMaxCents: number | null;
  feePayer: 'PAYER' | 'PAYEE';
  welfareExempt: boolean;
  conversionFeeBasisPoints: number;
  conversionFeeMinCents: number;
  demurrageBasisPoints: number;
  expiryMonths: number | null;
}

const REQUIRED_NUMBERS = [
  'feeFixedCents',
  'feeBasisPoints',
  'conversionFeeBasisPoints',
  'conversionFeeMinCents',
  'demurrageBasisPoints',
] as const;
const OPTIONAL_NUMBERS = ['feeMaxCents', 'expiryMonths'] as const;

/** A whole number as typed, or NaN. */
function whole(value: string): number {
  return /^-?[0-9]{1,9}$/.test(value) ? Number(value) : Number.NaN;
}

/** The rule fields of a posted form, as typed (the checkbox as 'on' or ''). */
export function readIesRuleValues(data: FormData): IesRuleValues {
  return Object.fromEntries(
    IES_RULES_FIELDS.map((f) => [
      f,
      f === 'welfareExempt' ? (data.get(f) === 'on' ? 'on' : '') : text(data, f),
    ]),
  ) as IesRuleValues;
}

/**
 * The rules typed, for the API, or the field errors found (an empty required number, a number
 * that is not whole); `fields` is empty exactly when `rules` is given.
 */
export function parseIesRules(values: IesRuleValues): {
  rules: IesRules | null;
  fields: Record<string, Localized>;
} {
  const fields: Record<string, Localized> = {};
  const numbers: Partial<Record<string, number | null>> = {};
  for (const f of [...REQUIRED_NUMBERS, ...OPTIONAL_NUMBERS]) {
    if (!values[f]) {
      if ((REQUIRED_NUMBERS as readonly string[]).includes(f)) fields[f] = both(m.required_field);
      numbers[f] = null;
      continue;
    }
    const n = whole(values[f]);
    if (Number.isNaN(n)) fields[f] = both(m.iem_whole_number);
    numbers[f] = n;
  }
  if (Object.keys(fields).length > 0) return { rules: null, fields };
  const number = (f: (typeof REQUIRED_NUMBERS)[number]) => numbers[f] ?? 0;
  return {
    rules: {
      feeFixedCents: number('feeFixedCents'),
      feeBasisPoints: number('feeBasisPoints'),
      feeMaxCents: numbers.feeMaxCents ?? null,
      feePayer: values.feePayer === 'PAYEE' ? 'PAYEE' : 'PAYER',
      welfareExempt: values.welfareExempt === 'on',
      conversionFeeBasisPoints: number('conversionFeeBasisPoints'),
      conversionFeeMinCents: number('conversionFeeMinCents'),
      demurrageBasisPoints: number('demurrageBasisPoints'),
      expiryMonths: numbers.expiryMonths ?? null,
    },
    fields: {},
  };
}
