// The plan editor's form: its values (to show again after a refusal), the portal's own checks
// (a whole year, euro amounts) and the API's input. Pure: unit-tested in plan-form.spec.ts.
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { formatEuroInput, parseEuroAmount } from '$lib/money';
import { m } from '$lib/paraglide/messages';

/** Category rows the form offers (empty rows are left out). */
export const CATEGORY_ROWS = 4;

export const PURPOSES = [
  'SERVICES_IN_KIND',
  'EDUCATION_CHILDCARE',
  'ELDERLY_CARE',
  'PUBLIC_TRANSPORT',
  'FRINGE_BENEFIT',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const OFFER_CATEGORIES = [
  'EDUCATION',
  'CHILDCARE',
  'ELDERLY_CARE',
  'DISABILITY',
  'HEALTH',
  'SPORT',
  'CULTURE',
  'EMPLOYMENT',
  'HOME_SERVICES',
  'OTHER',
] as const;
export type OfferCategory = (typeof OFFER_CATEGORIES)[number];

export const END_RULES = ['RETURN_TO_EMPLOYER', 'CARRY_OVER'] as const;
export type EndRule = (typeof END_RULES)[number];

export interface CategoryValues {
  code: string;
  name: string;
  criterion: string;
  credit: string;
}

export interface PlanValues {
  name: string;
  year: string;
  validFrom: string;
  validUntil: string;
  purposes: string[];
  coveredCategories: string[];
  endRule: string;
  bonusConversion: boolean;
  categories: CategoryValues[];
}

export interface PlanInputValue {
  name: string;
  year: number;
  validFrom: string;
  validUntil: string;
  purposes: Purpose[];
  coveredCategories: string[];
  endRule: EndRule;
  bonusConversion: boolean;
  categories: { code: string; name: string; criterion: string; creditCents: number }[];
}

const emptyRow = (): CategoryValues => ({ code: '', name: '', criterion: '', credit: '' });

const padRows = (rows: CategoryValues[]) => [
  ...rows,
  ...Array.from({ length: Math.max(0, CATEGORY_ROWS - rows.length) }, emptyRow),
];

/** A new plan's form: the calendar year, the catalogue in kind, unspent credit back to the employer. */
export function newPlanValues(year: number): PlanValues {
  return {
    name: `Piano welfare ${year}`,
    year: String(year),
    validFrom: `${year}-01-01`,
    validUntil: `${year}-12-31`,
    purposes: ['SERVICES_IN_KIND'],
    coveredCategories: [],
    endRule: 'RETURN_TO_EMPLOYER',
    bonusConversion: false,
    categories: padRows([]),
  };
}

/** A plan as the form shows it. */
export function planValues(plan: {
  name: string;
  year: number;
  validFrom: string;
  validUntil: string;
  purposes: readonly string[];
  coveredCategories: readonly string[];
  endRule: string;
  bonusConversion: boolean;
  categories: readonly { code: string; name: string; criterion: string; creditCents: number }[];
}): PlanValues {
  return {
    name: plan.name,
    year: String(plan.year),
    validFrom: plan.validFrom,
    validUntil: plan.validUntil,
    purposes: [...plan.purposes],
    coveredCategories: [...plan.coveredCategories],
    endRule: plan.endRule,
    bonusConversion: plan.bonusConversion,
    categories: padRows(
      plan.categories.map((c) => ({
        code: c.code,
        name: c.name,
        criterion: c.criterion,
        credit: formatEuroInput(c.creditCents),
      })),
    ),
  };
}

const text = (data: FormData, name: string) => {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
};

/** The form's field names (the API's, with the form's category rows). */
export function knownFields(): string[] {
  const rows = Array.from({ length: CATEGORY_ROWS }, (_, i) =>
    ['code', 'name', 'criterion', 'creditCents'].map((f) => `categories.${i}.${f}`),
  ).flat();
  return [
    'name',
    'year',
    'validFrom',
    'validUntil',
    'purposes',
    'coveredCategories',
    'endRule',
    'categories',
    'regulation',
    ...rows,
  ];
}

/**
 * Reads the form: its values, the input for the API (null when the portal's own checks refuse
 * it) with `rowOf` (the API's category index to the form's row), and the portal's problems.
 */
export function readPlanForm(data: FormData): {
  values: PlanValues;
  input: PlanInputValue | null;
  rowOf: number[];
  problems: Record<string, Localized>;
} {
  const values: PlanValues = {
    name: text(data, 'name'),
    year: text(data, 'year'),
    validFrom: text(data, 'validFrom'),
    validUntil: text(data, 'validUntil'),
    purposes: data.getAll('purposes').filter((v): v is string => typeof v === 'string'),
    coveredCategories: data
      .getAll('coveredCategories')
      .filter((v): v is string => typeof v === 'string'),
    endRule: text(data, 'endRule'),
    bonusConversion: data.get('bonusConversion') === 'on',
    categories: Array.from({ length: CATEGORY_ROWS }, (_, i) => ({
      code: text(data, `categories.${i}.code`),
      name: text(data, `categories.${i}.name`),
      criterion: text(data, `categories.${i}.criterion`),
      credit: text(data, `categories.${i}.creditCents`),
    })),
  };
  const problems: Record<string, Localized> = {};
  const year = /^\d{4}$/.test(values.year) ? Number(values.year) : null;
  if (year === null) problems.year = both(m.cwp_error_year);
  if (!(END_RULES as readonly string[]).includes(values.endRule)) {
    problems.endRule = both(m.required_field);
  }
  const purposes = values.purposes.filter((p): p is Purpose =>
    (PURPOSES as readonly string[]).includes(p),
  );
  const rowOf: number[] = [];
  const categories: PlanInputValue['categories'] = [];
  values.categories.forEach((row, i) => {
    if (!row.code && !row.name && !row.criterion && !row.credit) return;
    const credit = parseEuroAmount(row.credit, 100_000_000);
    if ('problem' in credit) {
      problems[`categories.${i}.creditCents`] = both(m.cwp_error_amount);
      return;
    }
    rowOf.push(i);
    categories.push({
      code: row.code.toUpperCase(),
      name: row.name,
      criterion: row.criterion,
      creditCents: credit.cents,
    });
  });
  if (Object.keys(problems).length > 0 || year === null) {
    return { values, input: null, rowOf, problems };
  }
  return {
    values,
    input: {
      name: values.name,
      year,
      validFrom: values.validFrom,
      validUntil: values.validUntil,
      purposes,
      coveredCategories: values.coveredCategories,
      endRule: values.endRule as EndRule,
      bonusConversion: values.bonusConversion,
      categories,
    },
    rowOf,
    problems,
  };
}

/** The API's field (`categories.1.code`) as the form's (`categories.<row>.code`). */
export function formField(field: string, rowOf: readonly number[]): string {
  const match = /^categories\.(\d+)\.(\w+)$/.exec(field);
  if (!match) return field;
  const row = rowOf[Number(match[1])];
  return row === undefined ? 'categories' : `categories.${row}.${match[2]}`;
}
