// The simulation's variant: the same simulation with one or more changes (ISEE threshold, budget,
// amounts scaled), shown side by side with the proposal. Pure.
import { ISEE_TYPES } from '$lib/api-enums';
import { parseEuroAmount } from '$lib/money';
import {
  type CampaignProblems,
  type CampaignValues,
  MAX_CENTS,
  MAX_ISEE_CENTS,
  VARIANT_FIELDS,
} from './campaign-fields';
import { parseWhole } from './campaign-parse';
import type { SimulationFields } from './campaign-types';

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
