// The campaign editor's form as posted and shown: its limits, its field names (one per input, the
// repeated ones numbered), the problems a field can have, and reading a post. Pure.
import {
  ISEE_TYPES,
  type IseeType,
  OFFER_CATEGORIES,
  type OfferCategory,
  type RankingCriterion,
  SHOP_CATEGORIES,
  type ShopCategory,
} from '$lib/api-enums';

/** Excluded unless the Comune decides otherwise. */
export const DEFAULT_EXCLUDED: readonly ShopCategory[] = [
  'ALCOHOL',
  'TOBACCO',
  'GAMBLING',
  'PHONE_TOPUP',
];

/** Criteria the Comune chooses; SUBMITTED_ASC is always added last by the API. */
export const CHOSEN_CRITERIA = [
  'ISEE_ASC',
  'MINORS_DESC',
  'SIZE_DESC',
  'DISABILITY_FIRST',
] as const satisfies readonly RankingCriterion[];

/** The editor shows at least this many amount-by-size fields (1, 2, … 6 or more members). */
export const MIN_SIZE_FIELDS = 6;
export const MAX_SIZE_FIELDS = 30;
/** Documents and declarations: the API accepts at most 20 of each. */
export const MAX_ITEMS = 20;
/** Empty rows offered for new documents and declarations (no client JavaScript needed). */
export const SPARE_ROWS = 2;
export const CRITERIA_FIELDS = CHOSEN_CRITERIA.length;

/** 100 million euro: the largest budget or amount. */
export const MAX_CENTS = 10_000_000_000;
/** One million euro: the largest ISEE threshold. */
export const MAX_ISEE_CENTS = 100_000_000;
/** The form as posted and shown: every field a string ('on' for a ticked box). */
export type CampaignValues = Record<string, string>;

/** Why a field was refused: the page has a message for each. */
export type CampaignProblem =
  | 'required'
  | 'amount'
  | 'negative'
  | 'notZero'
  | 'tooLarge'
  | 'date'
  | 'datetime'
  | 'closeBeforeOpen'
  | 'spendingOrder'
  | 'size'
  | 'sizeOrder'
  | 'days'
  | 'amountGap'
  | 'amountsMissing'
  | 'perMemberZero'
  | 'criterionRepeat'
  | 'choice'
  | 'code'
  | 'codeRepeat'
  | 'text'
  | 'percent'
  | 'excludedAll';

export type CampaignProblems = Partial<Record<string, CampaignProblem>>;

export const isee = (type: IseeType) => `isee_${type}`;
export const sizeField = (n: number) => `size${n}`;
export const criterionField = (n: number) => `criterion${n}`;
export const excludedField = (category: ShopCategory) => `excluded_${category}`;
export const serviceField = (category: OfferCategory) => `service_${category}`;
export const docField = (row: number, part: 'Code' | 'LabelIt' | 'LabelEn' | 'Mandatory') =>
  `doc${row}${part}`;
export const declField = (row: number, part: 'Code' | 'TextIt' | 'TextEn') => `decl${row}${part}`;

export const VARIANT_FIELDS = ['variantIsee', 'variantBudget', 'variantAmountPercent'] as const;

const TEXT_FIELDS = [
  'kind',
  'title',
  'description',
  'contacts',
  'budget',
  'applicationsOpenAt',
  'applicationsCloseAt',
  'spendingFrom',
  'spendingUntil',
  'requireResidency',
  'excludePublicSupport',
  'minSize',
  'maxSize',
  'mode',
  'perAdult',
  'perMinor',
  'cap',
  'decisionDays',
  ...ISEE_TYPES.map(isee),
  ...SHOP_CATEGORIES.map(excludedField),
  ...OFFER_CATEGORIES.map(serviceField),
  ...VARIANT_FIELDS,
];

/** How many rows of a repeated group the form has (the last filled one, plus spare rows). */
function rowsIn(values: CampaignValues, prefix: string, parts: readonly string[]): number {
  let last = -1;
  for (let row = 0; row < MAX_ITEMS; row += 1) {
    if (parts.some((p) => (values[`${prefix}${row}${p}`] ?? '') !== '')) last = row;
  }
  return last + 1;
}

const DOC_PARTS = ['Code', 'LabelIt', 'LabelEn'] as const;
const DECL_PARTS = ['Code', 'TextIt', 'TextEn'] as const;

/** Rows of documents, declarations and amounts the editor shows for these values. */
export function formShape(values: CampaignValues): {
  documents: number;
  declarations: number;
  sizes: number;
} {
  const withSpare = (n: number) => Math.min(MAX_ITEMS, n + SPARE_ROWS);
  let sizes = MIN_SIZE_FIELDS;
  for (let n = MAX_SIZE_FIELDS; n > MIN_SIZE_FIELDS; n -= 1) {
    if ((values[sizeField(n)] ?? '') !== '') {
      sizes = n;
      break;
    }
  }
  return {
    documents: withSpare(rowsIn(values, 'doc', DOC_PARTS)),
    declarations: withSpare(rowsIn(values, 'decl', DECL_PARTS)),
    sizes,
  };
}

/** Every field of the form, read from a post (missing fields are ''). */
export function readCampaignForm(data: FormData): CampaignValues {
  const get = (name: string) => {
    const v = data.get(name);
    return typeof v === 'string' ? v.trim() : '';
  };
  const values: CampaignValues = {};
  for (const name of TEXT_FIELDS) values[name] = get(name);
  for (let n = 1; n <= MAX_SIZE_FIELDS; n += 1) values[sizeField(n)] = get(sizeField(n));
  for (let n = 1; n <= CRITERIA_FIELDS; n += 1) values[criterionField(n)] = get(criterionField(n));
  for (let row = 0; row < MAX_ITEMS; row += 1) {
    for (const part of [...DOC_PARTS, 'Mandatory'] as const)
      values[docField(row, part)] = get(docField(row, part));
    for (const part of DECL_PARTS) values[declField(row, part)] = get(declField(row, part));
  }
  // Drop empty repeated fields: the page data stays small.
  for (const [k, v] of Object.entries(values)) {
    if (v === '' && /^(doc|decl|size\d)/.test(k)) delete values[k];
  }
  return values;
}
