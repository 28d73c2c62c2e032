// The campaign editor's form: its fields, what they become in the API's CampaignInput and
// SimulationInput, and back. Pure (no SvelteKit, no messages): unit-tested in campaign-form.spec.ts.
import {
  AMOUNT_MODES,
  type AmountMode,
  CAMPAIGN_KINDS,
  type CampaignKind,
  ISEE_TYPES,
  type IseeType,
  OFFER_CATEGORIES,
  type OfferCategory,
  type RankingCriterion,
  SHOP_CATEGORIES,
  type ShopCategory,
} from '$lib/api-enums';
import { isDay, isoToRomeLocal, romeLocalToIso } from '$lib/dates';
import { centsOrZero, formatEuroInput, parseEuroAmount } from '$lib/money';

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

export interface IseeThreshold {
  type: IseeType;
  maxCents: number;
}
export interface EligibilityRules {
  requireResidency: boolean;
  iseeThresholds: IseeThreshold[];
  minSize: number | null;
  maxSize: number | null;
  excludePublicSupport: boolean;
}
export interface AmountSchedule {
  mode: AmountMode;
  bySizeCents: number[];
  perAdultCents: number;
  perMinorCents: number;
  capCents: number | null;
}
export interface RequiredDocument {
  code: string;
  labelIt: string;
  labelEn: string;
  mandatory: boolean;
}
export interface Declaration {
  code: string;
  textIt: string;
  textEn: string;
}
/** The API's CampaignInput without the Comune. */
export interface CampaignFields {
  kind: CampaignKind;
  title: string;
  description: string;
  contacts: string;
  budgetCents: number;
  applicationsOpenAt: string;
  applicationsCloseAt: string;
  spendingFrom: string;
  spendingUntil: string;
  rules: EligibilityRules;
  amountSchedule: AmountSchedule;
  requiredDocuments: RequiredDocument[];
  declarations: Declaration[];
  rankingCriteria: RankingCriterion[];
  decisionDays: number;
  excludedCategories: ShopCategory[];
  serviceCategories: OfferCategory[];
}
/** The API's SimulationInput without the Comune. */
export interface SimulationFields {
  rules: EligibilityRules;
  amountSchedule: AmountSchedule;
  budgetCents: number;
  rankingCriteria: RankingCriterion[];
}

/** A simulation's figures (the API's SafeInts as numbers). */
export interface SimulationView {
  households: number;
  eligible: number;
  totalCostCents: number;
  budgetCents: number;
  funded: number;
  fundedCents: number;
  shortfallCents: number;
  exclusions: { code: string; excluded: number }[];
  bySize: { size: number; households: number; costCents: number }[];
  tookMs: number;
}

/** A campaign as the API returns it (the fields the editor needs). */
export interface CampaignData {
  kind: CampaignKind;
  title: string;
  description: string;
  contacts: string;
  budgetCents: unknown;
  applicationsOpenAt: string;
  applicationsCloseAt: string;
  spendingFrom: string;
  spendingUntil: string;
  rules: {
    requireResidency: boolean;
    iseeThresholds: readonly { type: string; maxCents: unknown }[];
    minSize: number | null;
    maxSize: number | null;
    excludePublicSupport: boolean;
  };
  amountSchedule: {
    mode: AmountMode;
    bySizeCents: readonly unknown[];
    perAdultCents: unknown;
    perMinorCents: unknown;
    capCents: unknown;
  };
  requiredDocuments: readonly RequiredDocument[];
  declarations: readonly Declaration[];
  rankingCriteria: readonly string[];
  decisionDays: number;
  excludedCategories: readonly string[];
  serviceCategories: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Field names

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

// ---------------------------------------------------------------------------------------------
// Numbers and codes

function parseWhole(text: string, min: number, max: number): number | null {
  if (!/^\d{1,4}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

const CODE = /^[A-Z0-9_]{1,40}$/;

// ---------------------------------------------------------------------------------------------
// Values -> input

export interface ParsedSimulation {
  fields: SimulationFields | null;
  problems: CampaignProblems;
}

function parseRules(values: CampaignValues, problems: CampaignProblems): EligibilityRules {
  const iseeThresholds: IseeThreshold[] = [];
  for (const type of ISEE_TYPES) {
    const text = values[isee(type)] ?? '';
    if (!text) continue;
    const parsed = parseEuroAmount(text, MAX_ISEE_CENTS);
    if ('problem' in parsed) problems[isee(type)] = parsed.problem;
    else iseeThresholds.push({ type, maxCents: parsed.cents });
  }
  const size = (name: 'minSize' | 'maxSize') => {
    const text = values[name] ?? '';
    if (!text) return null;
    const n = parseWhole(text, 1, 30);
    if (n === null) problems[name] = 'size';
    return n;
  };
  const minSize = size('minSize');
  const maxSize = size('maxSize');
  if (minSize !== null && maxSize !== null && maxSize < minSize) problems.maxSize = 'sizeOrder';
  return {
    requireResidency: values.requireResidency === 'on',
    iseeThresholds,
    minSize,
    maxSize,
    excludePublicSupport: values.excludePublicSupport === 'on',
  };
}

function parseAmount(
  values: CampaignValues,
  name: string,
  problems: CampaignProblems,
  options: { required: boolean; positive: boolean },
): number | null {
  const text = values[name] ?? '';
  if (!text) {
    if (options.required) problems[name] = 'required';
    return null;
  }
  const parsed = parseEuroAmount(text, MAX_CENTS);
  if ('problem' in parsed) {
    problems[name] = parsed.problem;
    return null;
  }
  if (options.positive && parsed.cents === 0) {
    problems[name] = 'notZero';
    return null;
  }
  return parsed.cents;
}

function parseSchedule(values: CampaignValues, problems: CampaignProblems): AmountSchedule {
  const mode = values.mode as AmountMode;
  const schedule: AmountSchedule = {
    mode: (AMOUNT_MODES as readonly string[]).includes(mode) ? mode : 'BY_SIZE',
    bySizeCents: [],
    perAdultCents: 0,
    perMinorCents: 0,
    capCents: null,
  };
  if (!(AMOUNT_MODES as readonly string[]).includes(mode)) {
    problems.mode = 'choice';
    return schedule;
  }
  if (mode === 'BY_SIZE') {
    let last = 0;
    for (let n = MAX_SIZE_FIELDS; n >= 1; n -= 1) {
      if ((values[sizeField(n)] ?? '') !== '') {
        last = n;
        break;
      }
    }
    if (last === 0) problems[sizeField(1)] = 'amountsMissing';
    for (let n = 1; n <= last; n += 1) {
      const name = sizeField(n);
      if ((values[name] ?? '') === '') {
        problems[name] = 'amountGap';
        continue;
      }
      const amount = parseAmount(values, name, problems, { required: true, positive: true });
      if (amount !== null) schedule.bySizeCents.push(amount);
    }
  } else {
    const adult = parseAmount(values, 'perAdult', problems, { required: false, positive: false });
    const minor = parseAmount(values, 'perMinor', problems, { required: false, positive: false });
    schedule.perAdultCents = adult ?? 0;
    schedule.perMinorCents = minor ?? 0;
    if (!problems.perAdult && !problems.perMinor && !adult && !minor) {
      problems.perAdult = 'perMemberZero';
    }
    schedule.capCents = parseAmount(values, 'cap', problems, { required: false, positive: true });
  }
  return schedule;
}

function parseCriteria(values: CampaignValues, problems: CampaignProblems): RankingCriterion[] {
  const out: RankingCriterion[] = [];
  for (let n = 1; n <= CRITERIA_FIELDS; n += 1) {
    const name = criterionField(n);
    const value = values[name] ?? '';
    if (!value) continue;
    if (!(CHOSEN_CRITERIA as readonly string[]).includes(value)) problems[name] = 'choice';
    else if (out.includes(value as RankingCriterion)) problems[name] = 'criterionRepeat';
    else out.push(value as RankingCriterion);
  }
  return [...out, 'SUBMITTED_ASC'];
}

/** What a simulation needs (rules, amounts, budget, criteria), or the problems found. */
export function parseSimulationForm(values: CampaignValues): ParsedSimulation {
  const problems: CampaignProblems = {};
  const rules = parseRules(values, problems);
  const amountSchedule = parseSchedule(values, problems);
  const budgetCents = parseAmount(values, 'budget', problems, { required: true, positive: false });
  const rankingCriteria = parseCriteria(values, problems);
  const ok = Object.keys(problems).length === 0 && budgetCents !== null;
  return {
    fields: ok ? { rules, amountSchedule, budgetCents, rankingCriteria } : null,
    problems,
  };
}

export interface ParsedCampaign {
  fields: CampaignFields | null;
  problems: CampaignProblems;
  /** The form row of each document / declaration sent (their index in the API's lists). */
  documentRows: number[];
  declarationRows: number[];
}

function textProblem(
  values: CampaignValues,
  name: string,
  min: number,
  max: number,
  problems: CampaignProblems,
): string {
  const text = values[name] ?? '';
  const length = [...text].length;
  if (length === 0) problems[name] = 'required';
  else if (length < min || length > max) problems[name] = 'text';
  return text;
}

/** The whole CampaignInput (without the Comune), or every problem the portal can see. */
export function parseCampaignForm(values: CampaignValues): ParsedCampaign {
  const problems: CampaignProblems = {};
  const kind = values.kind as CampaignKind;
  if (!kind) problems.kind = 'required';
  else if (!(CAMPAIGN_KINDS as readonly string[]).includes(kind)) problems.kind = 'choice';
  const title = textProblem(values, 'title', 3, 200, problems);
  const description = textProblem(values, 'description', 1, 10_000, problems);
  const contacts = textProblem(values, 'contacts', 1, 2_000, problems);

  const when = (name: 'applicationsOpenAt' | 'applicationsCloseAt') => {
    const text = values[name] ?? '';
    if (!text) {
      problems[name] = 'required';
      return null;
    }
    const iso = romeLocalToIso(text);
    if (iso === null) problems[name] = 'datetime';
    return iso;
  };
  const applicationsOpenAt = when('applicationsOpenAt');
  const applicationsCloseAt = when('applicationsCloseAt');
  if (applicationsOpenAt && applicationsCloseAt && applicationsCloseAt <= applicationsOpenAt) {
    problems.applicationsCloseAt = 'closeBeforeOpen';
  }
  const day = (name: 'spendingFrom' | 'spendingUntil') => {
    const text = values[name] ?? '';
    if (!text) problems[name] = 'required';
    else if (!isDay(text)) problems[name] = 'date';
    return text;
  };
  const spendingFrom = day('spendingFrom');
  const spendingUntil = day('spendingUntil');
  if (!problems.spendingFrom && !problems.spendingUntil && spendingUntil < spendingFrom) {
    problems.spendingUntil = 'spendingOrder';
  }

  const simulation = parseSimulationForm(values);
  Object.assign(problems, simulation.problems);

  const requiredDocuments: RequiredDocument[] = [];
  const documentRows: number[] = [];
  const docCodes = new Set<string>();
  for (let row = 0; row < MAX_ITEMS; row += 1) {
    const code = (values[docField(row, 'Code')] ?? '').toUpperCase();
    const labelIt = values[docField(row, 'LabelIt')] ?? '';
    const labelEn = values[docField(row, 'LabelEn')] ?? '';
    if (!code && !labelIt && !labelEn) continue;
    if (!CODE.test(code)) problems[docField(row, 'Code')] = 'code';
    else if (docCodes.has(code)) problems[docField(row, 'Code')] = 'codeRepeat';
    docCodes.add(code);
    if (!labelIt || [...labelIt].length > 500) problems[docField(row, 'LabelIt')] = 'text';
    if (!labelEn || [...labelEn].length > 500) problems[docField(row, 'LabelEn')] = 'text';
    requiredDocuments.push({
      code,
      labelIt,
      labelEn,
      mandatory: values[docField(row, 'Mandatory')] === 'on',
    });
    documentRows.push(row);
  }
  const declarations: Declaration[] = [];
  const declarationRows: number[] = [];
  const declCodes = new Set<string>();
  for (let row = 0; row < MAX_ITEMS; row += 1) {
    const code = (values[declField(row, 'Code')] ?? '').toUpperCase();
    const textIt = values[declField(row, 'TextIt')] ?? '';
    const textEn = values[declField(row, 'TextEn')] ?? '';
    if (!code && !textIt && !textEn) continue;
    if (!CODE.test(code)) problems[declField(row, 'Code')] = 'code';
    else if (declCodes.has(code)) problems[declField(row, 'Code')] = 'codeRepeat';
    declCodes.add(code);
    if (!textIt || [...textIt].length > 500) problems[declField(row, 'TextIt')] = 'text';
    if (!textEn || [...textEn].length > 500) problems[declField(row, 'TextEn')] = 'text';
    declarations.push({ code, textIt, textEn });
    declarationRows.push(row);
  }

  const decisionDays = parseWhole(values.decisionDays ?? '', 1, 365);
  if (decisionDays === null) problems.decisionDays = values.decisionDays ? 'days' : 'required';
  const excludedCategories = SHOP_CATEGORIES.filter((c) => values[excludedField(c)] === 'on');
  if (excludedCategories.length === SHOP_CATEGORIES.length) {
    problems[excludedField(SHOP_CATEGORIES[0])] = 'excludedAll';
  }
  const serviceCategories = OFFER_CATEGORIES.filter((c) => values[serviceField(c)] === 'on');

  const sim = simulation.fields;
  const ok =
    Object.keys(problems).length === 0 &&
    applicationsOpenAt !== null &&
    applicationsCloseAt !== null &&
    decisionDays !== null;
  return {
    fields:
      ok && sim
        ? {
            kind,
            title,
            description,
            contacts,
            budgetCents: sim.budgetCents,
            applicationsOpenAt,
            applicationsCloseAt,
            spendingFrom,
            spendingUntil,
            rules: sim.rules,
            amountSchedule: sim.amountSchedule,
            requiredDocuments,
            declarations,
            rankingCriteria: sim.rankingCriteria,
            decisionDays,
            excludedCategories,
            serviceCategories,
          }
        : null,
    problems,
    documentRows,
    declarationRows,
  };
}

// ---------------------------------------------------------------------------------------------
// The variant: the same simulation with one or more changes, side by side

export interface ParsedVariant {
  /** Null when no variant field was filled in (or one is invalid). */
  fields: SimulationFields | null;
  problems: CampaignProblems;
}

/** Scales an amount by a whole percentage, rounding half up, in integers. */
export function scaleCents(value: number, percent: number): number {
  return Math.floor((value * percent + 50) / 100);
}

/**
 * The variant of a simulation: `variantIsee` replaces the threshold of every accepted ISEE type
 * (of every type when none is required), `variantBudget` the budget, `variantAmountPercent` scales
 * every amount (100 = unchanged).
 */
export function parseVariant(values: CampaignValues, base: SimulationFields): ParsedVariant {
  const problems: CampaignProblems = {};
  const given = VARIANT_FIELDS.some((f) => (values[f] ?? '') !== '');
  if (!given) return { fields: null, problems };
  const variant: SimulationFields = structuredClone(base);
  if (values.variantIsee) {
    const parsed = parseEuroAmount(values.variantIsee, MAX_ISEE_CENTS);
    if ('problem' in parsed) problems.variantIsee = parsed.problem;
    else {
      const types =
        base.rules.iseeThresholds.length > 0
          ? base.rules.iseeThresholds.map((t) => t.type)
          : [...ISEE_TYPES];
      variant.rules.iseeThresholds = types.map((type) => ({ type, maxCents: parsed.cents }));
    }
  }
  if (values.variantBudget) {
    const parsed = parseEuroAmount(values.variantBudget, MAX_CENTS);
    if ('problem' in parsed) problems.variantBudget = parsed.problem;
    else variant.budgetCents = parsed.cents;
  }
  if (values.variantAmountPercent) {
    const percent = parseWhole(values.variantAmountPercent.replace(/%$/, ''), 1, 1000);
    if (percent === null) problems.variantAmountPercent = 'percent';
    else {
      const s = variant.amountSchedule;
      s.bySizeCents = s.bySizeCents.map((c) => Math.max(1, scaleCents(c, percent)));
      s.perAdultCents = scaleCents(s.perAdultCents, percent);
      s.perMinorCents = scaleCents(s.perMinorCents, percent);
      if (s.capCents !== null) s.capCents = Math.max(1, scaleCents(s.capCents, percent));
    }
  }
  return { fields: Object.keys(problems).length === 0 ? variant : null, problems };
}

// ---------------------------------------------------------------------------------------------
// Campaign -> values, defaults, API field names -> form fields

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
    if ((ISEE_TYPES as readonly string[]).includes(t.type)) {
      values[isee(t.type as IseeType)] = formatEuroInput(centsOrZero(t.maxCents));
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
    const type = (m[1] ?? 'ORDINARIO') as IseeType;
    return (ISEE_TYPES as readonly string[]).includes(type) ? isee(type) : null;
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
