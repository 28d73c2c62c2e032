// The campaign editor's form -> the API's CampaignInput and SimulationInput: every problem the
// portal can see before sending (the API checks again and its field messages land on the same
// fields, see formFieldOf). Pure.
import {
  AMOUNT_MODES,
  CAMPAIGN_KINDS,
  ISEE_TYPES,
  OFFER_CATEGORIES,
  type RankingCriterion,
  SHOP_CATEGORIES,
  isOneOf,
} from '$lib/api-enums';
import { isDay, romeLocalToIso } from '$lib/dates';
import { parseEuroAmount } from '$lib/money';
import {
  CHOSEN_CRITERIA,
  CRITERIA_FIELDS,
  type CampaignProblems,
  type CampaignValues,
  MAX_CENTS,
  MAX_ISEE_CENTS,
  MAX_ITEMS,
  MAX_SIZE_FIELDS,
  criterionField,
  declField,
  docField,
  excludedField,
  isee,
  serviceField,
  sizeField,
} from './campaign-fields';
import type {
  AmountSchedule,
  CampaignFields,
  Declaration,
  EligibilityRules,
  IseeThreshold,
  RequiredDocument,
  SimulationFields,
} from './campaign-types';

/** A whole number of at most 4 digits between `min` and `max`, or null. */
export function parseWhole(text: string, min: number, max: number): number | null {
  if (!/^\d{1,4}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

const CODE = /^[A-Z0-9_]{1,40}$/;

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
  const mode = values.mode ?? '';
  const schedule: AmountSchedule = {
    mode: isOneOf(AMOUNT_MODES, mode) ? mode : 'BY_SIZE',
    bySizeCents: [],
    perAdultCents: 0,
    perMinorCents: 0,
    capCents: null,
  };
  if (!isOneOf(AMOUNT_MODES, mode)) {
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
    if (!isOneOf(CHOSEN_CRITERIA, value)) problems[name] = 'choice';
    else if (out.includes(value)) problems[name] = 'criterionRepeat';
    else out.push(value);
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

/** The measure's kind and texts. */
function parseTexts(values: CampaignValues, problems: CampaignProblems) {
  const kind = values.kind ?? '';
  if (!kind) problems.kind = 'required';
  else if (!isOneOf(CAMPAIGN_KINDS, kind)) problems.kind = 'choice';
  return {
    kind: isOneOf(CAMPAIGN_KINDS, kind) ? kind : null,
    title: textProblem(values, 'title', 3, 200, problems),
    description: textProblem(values, 'description', 1, 10_000, problems),
    contacts: textProblem(values, 'contacts', 1, 2_000, problems),
  };
}

/** The application window (Rome's wall clock to instants): it must close after it opens. */
function parseWindow(values: CampaignValues, problems: CampaignProblems) {
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
  return { applicationsOpenAt, applicationsCloseAt };
}

/** The spending period (calendar days): it must not end before it starts. */
function parseSpending(values: CampaignValues, problems: CampaignProblems) {
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
  return { spendingFrom, spendingUntil };
}

/**
 * The filled rows of a repeated group with a code and two texts (documents, declarations): codes
 * upper case, well formed and not repeated, both texts present and at most 500 characters.
 */
function parseCodedRows<P extends string>(
  values: CampaignValues,
  problems: CampaignProblems,
  field: (row: number, part: 'Code' | P) => string,
  [italian, english]: readonly [P, P],
): { rows: number[]; items: { code: string; it: string; en: string }[] } {
  const rows: number[] = [];
  const items: { code: string; it: string; en: string }[] = [];
  const codes = new Set<string>();
  for (let row = 0; row < MAX_ITEMS; row += 1) {
    const code = (values[field(row, 'Code')] ?? '').toUpperCase();
    const it = values[field(row, italian)] ?? '';
    const en = values[field(row, english)] ?? '';
    if (!code && !it && !en) continue;
    if (!CODE.test(code)) problems[field(row, 'Code')] = 'code';
    else if (codes.has(code)) problems[field(row, 'Code')] = 'codeRepeat';
    codes.add(code);
    if (!it || [...it].length > 500) problems[field(row, italian)] = 'text';
    if (!en || [...en].length > 500) problems[field(row, english)] = 'text';
    items.push({ code, it, en });
    rows.push(row);
  }
  return { rows, items };
}

/** The documents to upload and the declarations to accept, with their form rows. */
function parseDocumentsAndDeclarations(values: CampaignValues, problems: CampaignProblems) {
  const docs = parseCodedRows(values, problems, docField, ['LabelIt', 'LabelEn'] as const);
  const decls = parseCodedRows(values, problems, declField, ['TextIt', 'TextEn'] as const);
  return {
    requiredDocuments: docs.items.map((d, i): RequiredDocument => ({
      code: d.code,
      labelIt: d.it,
      labelEn: d.en,
      mandatory: values[docField(docs.rows[i]!, 'Mandatory')] === 'on',
    })),
    documentRows: docs.rows,
    declarations: decls.items.map((d): Declaration => ({
      code: d.code,
      textIt: d.it,
      textEn: d.en,
    })),
    declarationRows: decls.rows,
  };
}

/** The goods the credit may not buy (not all of them) and the services it may pay for. */
function parseCategories(values: CampaignValues, problems: CampaignProblems) {
  const excludedCategories = SHOP_CATEGORIES.filter((c) => values[excludedField(c)] === 'on');
  if (excludedCategories.length === SHOP_CATEGORIES.length) {
    problems[excludedField(SHOP_CATEGORIES[0])] = 'excludedAll';
  }
  const serviceCategories = OFFER_CATEGORIES.filter((c) => values[serviceField(c)] === 'on');
  return { excludedCategories, serviceCategories };
}

/** The whole CampaignInput (without the Comune), or every problem the portal can see. */
export function parseCampaignForm(values: CampaignValues): ParsedCampaign {
  const problems: CampaignProblems = {};
  const { kind, title, description, contacts } = parseTexts(values, problems);
  const { applicationsOpenAt, applicationsCloseAt } = parseWindow(values, problems);
  const { spendingFrom, spendingUntil } = parseSpending(values, problems);
  const simulation = parseSimulationForm(values);
  Object.assign(problems, simulation.problems);
  const { requiredDocuments, documentRows, declarations, declarationRows } =
    parseDocumentsAndDeclarations(values, problems);
  const decisionDays = parseWhole(values.decisionDays ?? '', 1, 365);
  if (decisionDays === null) problems.decisionDays = values.decisionDays ? 'days' : 'required';
  const { excludedCategories, serviceCategories } = parseCategories(values, problems);

  const sim = simulation.fields;
  const ok =
    Object.keys(problems).length === 0 &&
    kind !== null &&
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
