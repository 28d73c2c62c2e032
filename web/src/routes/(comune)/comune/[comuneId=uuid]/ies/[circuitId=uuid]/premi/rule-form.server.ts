// The earning rule form of the Comune's rewards pages (create and edit share it).
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { formatEuroInput, parseEuroCents } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { text } from '$lib/server/forms';

/** The rule form's fields, named as the API's input (so its field errors land on them). */
export const RULE_FIELDS = [
  'kind',
  'name',
  'amountCents',
  'basisPoints',
  'volunteeringUnit',
  'visitsPerReward',
  'capCents',
  'capPeriod',
  'startsOn',
  'endsOn',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export type RuleValues = Record<RuleField, string>;
const KINDS = ['LOCAL_PURCHASE', 'ATTENDANCE', 'VOLUNTEERING', 'SHARING'] as const;
const PERIODS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
const UNITS = ['HOUR', 'SHIFT'] as const;

const whole = (value: string): number | null => (/^\d{1,7}$/.test(value) ? Number(value) : null);
const oneOf = <T extends string>(values: readonly T[], value: string): T | null =>
  (values as readonly string[]).includes(value) ? (value as T) : null;

/** The form's values as typed. */
export function ruleValues(data: FormData): RuleValues {
  return Object.fromEntries(RULE_FIELDS.map((f) => [f, text(data, f)])) as RuleValues;
}

/** A rule of the API as the form shows it (amounts in IES as people write them: 2,50). */
export function ruleFormValues(rule: {
  kind: string;
  name: string;
  amountCents: number | null;
  basisPoints: number | null;
  volunteeringUnit: string | null;
  visitsPerReward: number | null;
  capCents: number;
  capPeriod: string;
  startsOn: string;
  endsOn: string | null;
}): RuleValues {
  return {
    kind: rule.kind,
    name: rule.name,
    amountCents: rule.amountCents === null ? '' : formatEuroInput(rule.amountCents),
    basisPoints: rule.basisPoints === null ? '' : String(rule.basisPoints),
    volunteeringUnit: rule.volunteeringUnit ?? '',
    visitsPerReward: rule.visitsPerReward === null ? '' : String(rule.visitsPerReward),
    capCents: formatEuroInput(rule.capCents),
    capPeriod: rule.capPeriod,
    startsOn: rule.startsOn,
    endsOn: rule.endsOn ?? '',
  };
}

/**
 * The API's input of the typed values, or the field errors found before calling it (amounts in
 * IES as people write them, the rest as the API takes it; the API checks the rest).
 */
export function parseRule(values: RuleValues) {
  const fields: Record<string, Localized> = {};
  const kind = oneOf(KINDS, values.kind);
  if (!kind) fields.kind = both(m.required_field);
  const capCents = parseEuroCents(values.capCents);
  if (capCents === null) fields.capCents = both(m.iee_error_amount);
  let amountCents: number | null = null;
  let basisPoints: number | null = null;
  let visitsPerReward: number | null = null;
  if (kind === 'LOCAL_PURCHASE') {
    basisPoints = whole(values.basisPoints);
    if (basisPoints === null) fields.basisPoints = both(m.iee_error_number);
  } else if (kind) {
    amountCents = parseEuroCents(values.amountCents);
    if (amountCents === null) fields.amountCents = both(m.iee_error_amount);
  }
  if (kind === 'SHARING') {
    visitsPerReward = whole(values.visitsPerReward);
    if (visitsPerReward === null) fields.visitsPerReward = both(m.iee_error_number);
  }
  if (!kind || capCents === null || Object.keys(fields).length > 0) {
    return { fields } as const;
  }
  return {
    fields,
    input: {
      kind,
      name: values.name,
      amountCents,
      basisPoints,
      volunteeringUnit: kind === 'VOLUNTEERING' ? oneOf(UNITS, values.volunteeringUnit) : null,
      visitsPerReward,
      capCents,
      capPeriod: oneOf(PERIODS, values.capPeriod) ?? 'MONTH',
      startsOn: values.startsOn,
      endsOn: values.endsOn || null,
    },
  } as const;
}
