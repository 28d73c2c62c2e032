// From the API to the campaign editor's form: a new campaign's defaults, a saved campaign's values,
// and the form field an API field message is about. Pure.
import { ISEE_TYPES, OFFER_CATEGORIES, SHOP_CATEGORIES, isOneOf } from '$lib/api-enums';
import { isoToRomeLocal } from '$lib/dates';
import { centsOrZero, formatEuroInput } from '$lib/money';
import {
  CRITERIA_FIELDS,
  type CampaignValues,
  DEFAULT_EXCLUDED,
  criterionField,
  declField,
  docField,
  excludedField,
  isee,
  serviceField,
  sizeField,
} from './campaign-fields';
import type { CampaignData } from './campaign-types';

/** The editor's values for a new campaign. */
export function defaultValues(): CampaignValues {
  return {
    kind: '',
    requireResidency: 'on',
    excludePublicSupport: '',
    mode: 'BY_SIZE',
    [criterionField(1)]: 'ISEE_ASC',
    [criterionField(2)]: 'MINORS_DESC',
    decisionDays: '30',
    ...Object.fromEntries(DEFAULT_EXCLUDED.map((c) => [excludedField(c), 'on'])),
  };
}

/** The editor's values for a saved campaign. */
export function campaignValues(campaign: CampaignData): CampaignValues {
  const values: CampaignValues = {
    kind: campaign.kind,
    title: campaign.title,
    description: campaign.description,
    contacts: campaign.contacts,
    budget: formatEuroInput(centsOrZero(campaign.budgetCents)),
    applicationsOpenAt: isoToRomeLocal(campaign.applicationsOpenAt),
    applicationsCloseAt: isoToRomeLocal(campaign.applicationsCloseAt),
    spendingFrom: campaign.spendingFrom,
    spendingUntil: campaign.spendingUntil,
    requireResidency: campaign.rules.requireResidency ? 'on' : '',
    excludePublicSupport: campaign.rules.excludePublicSupport ? 'on' : '',
    minSize: campaign.rules.minSize?.toString() ?? '',
    maxSize: campaign.rules.maxSize?.toString() ?? '',
    mode: campaign.amountSchedule.mode,
    decisionDays: campaign.decisionDays.toString(),
  };
  for (const c of SHOP_CATEGORIES) {
    values[excludedField(c)] = campaign.excludedCategories.includes(c) ? 'on' : '';
  }
  for (const c of OFFER_CATEGORIES) {
    values[serviceField(c)] = campaign.serviceCategories.includes(c) ? 'on' : '';
  }
  for (const t of campaign.rules.iseeThresholds) {
    if (isOneOf(ISEE_TYPES, t.type)) {
      values[isee(t.type)] = formatEuroInput(centsOrZero(t.maxCents));
    }
  }
  const s = campaign.amountSchedule;
  if (s.mode === 'BY_SIZE') {
    s.bySizeCents.forEach((c, i) => (values[sizeField(i + 1)] = formatEuroInput(centsOrZero(c))));
  } else {
    values.perAdult = formatEuroInput(centsOrZero(s.perAdultCents));
    values.perMinor = formatEuroInput(centsOrZero(s.perMinorCents));
    values.cap = s.capCents == null ? '' : formatEuroInput(centsOrZero(s.capCents));
  }
  campaign.requiredDocuments.forEach((d, row) => {
    values[docField(row, 'Code')] = d.code;
    values[docField(row, 'LabelIt')] = d.labelIt;
    values[docField(row, 'LabelEn')] = d.labelEn;
    values[docField(row, 'Mandatory')] = d.mandatory ? 'on' : '';
  });
  campaign.declarations.forEach((d, row) => {
    values[declField(row, 'Code')] = d.code;
    values[declField(row, 'TextIt')] = d.textIt;
    values[declField(row, 'TextEn')] = d.textEn;
  });
  campaign.rankingCriteria
    .filter((c) => c !== 'SUBMITTED_ASC')
    .slice(0, CRITERIA_FIELDS)
    .forEach((c, i) => (values[criterionField(i + 1)] = c));
  return values;
}

const SAME_NAME = new Set([
  'kind',
  'title',
  'description',
  'contacts',
  'applicationsOpenAt',
  'applicationsCloseAt',
  'spendingFrom',
  'spendingUntil',
  'decisionDays',
]);

/**
 * The form field an API field message belongs to (`rules.iseeMaxByType.ORDINARIO` →
 * `isee_ORDINARIO`), or null when the form has no such field (the message goes to the summary).
 */
export function formFieldOf(
  apiField: string,
  rows: { documentRows: readonly number[]; declarationRows: readonly number[] } = {
    documentRows: [],
    declarationRows: [],
  },
): string | null {
  if (SAME_NAME.has(apiField)) return apiField;
  if (apiField === 'budgetCents') return 'budget';
  if (apiField === 'rankingCriteria') return criterionField(1);
  if (apiField === 'excludedCategories') return excludedField(SHOP_CATEGORIES[0]);
  if (apiField === 'serviceCategories') return serviceField(OFFER_CATEGORIES[0]);
  let m = /^rules\.iseeMaxByType(?:\.([A-Z]+))?$/.exec(apiField);
  if (m) {
    const type = m[1] ?? 'ORDINARIO';
    return isOneOf(ISEE_TYPES, type) ? isee(type) : null;
  }
  m = /^rules\.(minSize|maxSize)$/.exec(apiField);
  if (m) return m[1]!;
  m = /^amountSchedule\.bySizeCents(?:\.(\d+))?$/.exec(apiField);
  if (m) return sizeField(Number(m[1] ?? '0') + 1);
  m = /^amountSchedule\.(perAdultCents|perMinorCents|capCents|mode)$/.exec(apiField);
  if (m) {
    const name = m[1]!;
    return name === 'mode' ? 'mode' : name.replace(/Cents$/, '');
  }
  m = /^(requiredDocuments|declarations)(?:\.(\d+)(?:\.(code))?)?$/.exec(apiField);
  if (m) {
    const isDoc = m[1] === 'requiredDocuments';
    const index = Number(m[2] ?? '0');
    const row = (isDoc ? rows.documentRows : rows.declarationRows)[index] ?? index;
    if (isDoc) return docField(row, m[3] ? 'Code' : 'LabelIt');
    return declField(row, m[3] ? 'Code' : 'TextIt');
  }
  return null;
}
