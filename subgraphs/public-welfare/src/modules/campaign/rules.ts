import type { FieldErrors } from '@welfare/kit';
import type { IseeType } from '../shared/enums.js';
import { ISEE_TYPES } from '../shared/enums.js';
import type { AmountMode, RankingCriterion } from './campaign.enums.js';

/** The largest amount or budget the platform accepts, in cents (100 million euro). */
export const MAX_CENTS = 10_000_000_000;
/** The largest ISEE threshold, in cents (one million euro). */
export const MAX_ISEE_CENTS = 100_000_000;

/** Who may apply (stored as JSON on the campaign). */
export interface EligibilityRules {
  /** Only households resident in the Comune. */
  requireResidency: boolean;
  /** Largest ISEE per accepted type, in cents; a type not listed is not accepted. Empty: no ISEE needed. */
  iseeMaxByType: Partial<Record<IseeType, number>>;
  minSize: number | null;
  maxSize: number | null;
  /** Households whose latest declaration says they already receive public support are excluded. */
  excludePublicSupport: boolean;
}

/** A self-declaration the applicant must accept (dichiarazione sostitutiva, DPR 445/2000). */
export interface Declaration {
  code: string;
  textIt: string;
  textEn: string;
}

/** A document the applicant uploads. */
export interface RequiredDocument {
  code: string;
  labelIt: string;
  labelEn: string;
  /** False: optional. */
  mandatory: boolean;
}

/** How the entitlement is computed, in cents. */
export interface AmountSchedule {
  mode: AmountMode;
  /** BY_SIZE: amounts for 1, 2, 3... members; the last applies to larger households. */
  bySizeCents: number[];
  /** PER_MEMBER. */
  perAdultCents: number;
  perMinorCents: number;
  /** PER_MEMBER: the most a household gets (null: no cap). */
  capCents: number | null;
}

/** The facts about a household that rules and amounts look at. */
export interface HouseholdFacts {
  resident: boolean;
  size: number;
  minors: number;
  hasDisability: boolean;
  iseeCents: number | null;
  iseeType: IseeType | null;
  receivesPublicSupport: boolean;
}

/** Codes of the automatic checks run at submission. */
export const CHECK_CODES = [
  'WINDOW',
  'RESIDENCY',
  'ISEE',
  'HOUSEHOLD_SIZE',
  'PUBLIC_SUPPORT',
  'ONE_PER_HOUSEHOLD',
  'DOCUMENTS',
  'DECLARATIONS',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

/** The outcome of one check, stored on the application. */
export interface CheckResult {
  code: CheckCode;
  passed: boolean;
  messageIt: string;
  messageEn: string;
}

/** One formatter for every message (creating one per call costs more than the rules). */
const EURO = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });
const euro = (cents: number) => EURO.format(cents / 100);

/**
 * The codes of the rules the facts fail (no household: every rule fails): the same decisions as
 * `evaluateRules` without the messages, for the simulation's pass over the whole registry.
 */
export function failedRules(rules: EligibilityRules, facts: HouseholdFacts | null): CheckCode[] {
  const failed: CheckCode[] = [];
  if (rules.requireResidency && !facts?.resident) failed.push('RESIDENCY');
  let anyIsee = false;
  for (const _ in rules.iseeMaxByType) {
    anyIsee = true;
    break;
  }
  if (anyIsee) {
    const max = facts?.iseeType ? rules.iseeMaxByType[facts.iseeType] : undefined;
    if (facts?.iseeCents == null || max === undefined || facts.iseeCents > max) failed.push('ISEE');
  }
  if (rules.minSize != null || rules.maxSize != null) {
    const size = facts?.size ?? 0;
    if (
      facts == null ||
      (rules.minSize != null && size < rules.minSize) ||
      (rules.maxSize != null && size > rules.maxSize)
    )
      failed.push('HOUSEHOLD_SIZE');
  }
  if (rules.excludePublicSupport && (facts == null || facts.receivesPublicSupport))
    failed.push('PUBLIC_SUPPORT');
  return failed;
}

/** The eligibility checks of the rules over the facts (no household: every rule fails). */
export function evaluateRules(
  rules: EligibilityRules,
  facts: HouseholdFacts | null,
): CheckResult[] {
  const out: CheckResult[] = [];
  const check = (code: CheckCode, passed: boolean, it: string, en: string) =>
    out.push({ code, passed, messageIt: it, messageEn: en });
  if (rules.requireResidency) {
    if (facts?.resident)
      check('RESIDENCY', true, 'Nucleo residente nel Comune.', 'Household resident in the Comune.');
    else
      check(
        'RESIDENCY',
        false,
        'Il richiedente non risulta in un nucleo residente nel Comune.',
        'The applicant is not in a household resident in the Comune.',
      );
  }
  const accepted = Object.entries(rules.iseeMaxByType) as [IseeType, number][];
  if (accepted.length > 0) {
    const max = facts?.iseeType ? rules.iseeMaxByType[facts.iseeType] : undefined;
    if (facts?.iseeCents == null || !facts.iseeType) {
      check('ISEE', false, 'Nessuna attestazione ISEE valida.', 'No valid ISEE attestation.');
    } else if (max === undefined) {
      check(
        'ISEE',
        false,
        `ISEE di tipo ${facts.iseeType} non ammesso.`,
        `ISEE of type ${facts.iseeType} not accepted.`,
      );
    } else if (facts.iseeCents > max) {
      check(
        'ISEE',
        false,
        `ISEE ${euro(facts.iseeCents)} oltre la soglia di ${euro(max)}.`,
        `ISEE ${euro(facts.iseeCents)} above the ${euro(max)} threshold.`,
      );
    } else {
      check(
        'ISEE',
        true,
        `ISEE ${euro(facts.iseeCents)} entro la soglia di ${euro(max)}.`,
        `ISEE ${euro(facts.iseeCents)} within the ${euro(max)} threshold.`,
      );
    }
  }
  if (rules.minSize != null || rules.maxSize != null) {
    const size = facts?.size ?? 0;
    const ok =
      facts != null &&
      (rules.minSize == null || size >= rules.minSize) &&
      (rules.maxSize == null || size <= rules.maxSize);
    check(
      'HOUSEHOLD_SIZE',
      ok,
      ok ? `Nucleo di ${size} componenti ammesso.` : `Nucleo di ${size} componenti non ammesso.`,
      ok ? `Household of ${size} accepted.` : `Household of ${size} not accepted.`,
    );
  }
  if (rules.excludePublicSupport) {
    const ok = facts != null && !facts.receivesPublicSupport;
    check(
      'PUBLIC_SUPPORT',
      ok,
      ok
        ? 'Il nucleo non risulta già sostenuto.'
        : 'Il nucleo risulta già beneficiario di sostegno pubblico.',
      ok
        ? 'The household is not already supported.'
        : 'The household already receives public support.',
    );
  }
  return out;
}

/** The entitlement in cents for a household (0 when the schedule gives nothing). */
export function entitlementCents(schedule: AmountSchedule, size: number, minors: number): number {
  if (size < 1) return 0;
  if (schedule.mode === 'BY_SIZE') {
    const amounts = schedule.bySizeCents;
    if (amounts.length === 0) return 0;
    return amounts[Math.min(size, amounts.length) - 1]!;
  }
  const adults = Math.max(size - minors, 0);
  const total = adults * schedule.perAdultCents + minors * schedule.perMinorCents;
  return schedule.capCents == null ? total : Math.min(total, schedule.capCents);
}

const CODE = /^[A-Z0-9_]{1,40}$/;

function centsOk(v: unknown, max = MAX_CENTS): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/** Adds the rules' invalid values to `errors` (fields `${prefix}…`). */
export function validateRules(rules: EligibilityRules, errors: FieldErrors, prefix: string): void {
  for (const [type, max] of Object.entries(rules.iseeMaxByType)) {
    if (!(ISEE_TYPES as readonly string[]).includes(type)) {
      errors.add(`${prefix}iseeMaxByType`, 'Tipo di ISEE sconosciuto.', 'Unknown ISEE type.');
    } else if (!centsOk(max, MAX_ISEE_CENTS)) {
      errors.add(
        `${prefix}iseeMaxByType.${type}`,
        'Soglia ISEE tra 0 e 1.000.000 €.',
        'ISEE threshold between 0 and €1,000,000.',
      );
    }
  }
  for (const key of ['minSize', 'maxSize'] as const) {
    const v = rules[key];
    if (v != null && (!Number.isInteger(v) || v < 1 || v > 30))
      errors.add(`${prefix}${key}`, 'Da 1 a 30.', 'From 1 to 30.');
  }
  if (rules.minSize != null && rules.maxSize != null && rules.minSize > rules.maxSize) {
    errors.add(
      `${prefix}maxSize`,
      'Non può essere minore del numero minimo di componenti.',
      'Cannot be less than the smallest size.',
    );
  }
}

/** Adds the schedule's invalid values to `errors`. */
export function validateSchedule(
  schedule: AmountSchedule,
  errors: FieldErrors,
  prefix: string,
): void {
  const bad = (field: string) =>
    errors.add(
      `${prefix}${field}`,
      'Importo in centesimi tra 0 e 100.000.000 €.',
      'Amount in cents between €0 and €100,000,000.',
    );
  if (schedule.mode === 'BY_SIZE') {
    if (schedule.bySizeCents.length < 1 || schedule.bySizeCents.length > 30) {
      errors.add(
        `${prefix}bySizeCents`,
        'Indicare da 1 a 30 importi (per 1, 2, 3… componenti).',
        'Give 1 to 30 amounts (for 1, 2, 3… members).',
      );
    }
    schedule.bySizeCents.forEach((v, i) => {
      if (!centsOk(v) || v === 0) bad(`bySizeCents.${i}`);
    });
  } else {
    if (!centsOk(schedule.perAdultCents)) bad('perAdultCents');
    if (!centsOk(schedule.perMinorCents)) bad('perMinorCents');
    if (schedule.perAdultCents === 0 && schedule.perMinorCents === 0) {
      errors.add(
        `${prefix}perAdultCents`,
        'Almeno un importo deve essere maggiore di zero.',
        'At least one amount must be above zero.',
      );
    }
    if (schedule.capCents != null && (!centsOk(schedule.capCents) || schedule.capCents === 0))
      bad('capCents');
  }
}

/** Adds invalid documents or declarations to `errors` (codes unique, texts 1 to 500 characters). */
export function validateItems(
  items: { code: string; texts: string[] }[],
  errors: FieldErrors,
  field: string,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!CODE.test(item.code) || seen.has(item.code)) {
      errors.add(
        `${field}.${i}.code`,
        'Codice di lettere maiuscole, cifre e _, unico.',
        'A unique code of capital letters, digits and _.',
      );
    }
    seen.add(item.code);
    if (item.texts.some((t) => !t.trim() || t.length > 500)) {
      errors.add(`${field}.${i}`, 'Testo da 1 a 500 caratteri.', 'Text of 1 to 500 characters.');
    }
  });
  if (items.length > 20) errors.add(field, 'Al massimo 20 voci.', 'At most 20 items.');
}

/** The criteria with SUBMITTED_ASC last (added when missing), without repeats. */
export function normaliseCriteria(criteria: RankingCriterion[]): RankingCriterion[] {
  const out = [...new Set(criteria.filter((c) => c !== 'SUBMITTED_ASC'))];
  return [...out, 'SUBMITTED_ASC'];
}
