// What the campaign editor's form actions share: reading the form, the portal's own checks, the
// API's field messages on the right fields, and the simulation with its variant.
import { type ActionFailure, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { centsOrZero } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import type { ApiError, ErrorCode, FormFailure } from '$lib/server/errors';
import { formFailure, statusOf } from '$lib/server/errors';
import { throwIfForbidden } from '$lib/server/refusals';
import {
  type CampaignProblem,
  type CampaignProblems,
  type CampaignValues,
  readCampaignForm,
} from './campaign-fields';
import { parseCampaignForm, parseSimulationForm } from './campaign-parse';
import type { SimulationFields, SimulationView } from './campaign-types';
import { formFieldOf } from './campaign-values';
import { parseVariant } from './campaign-variant';
import {
  CampaignSimulationQuery,
  CreateCampaignMutation,
  UpdateCampaignMutation,
} from './operations.server';

const PROBLEMS: Record<CampaignProblem, () => Localized> = {
  required: () => both(m.required_field),
  amount: () => both(m.campaign_error_amount),
  negative: () => both(m.campaign_error_negative),
  notZero: () => both(m.campaign_error_not_zero),
  tooLarge: () => both(m.campaign_error_too_large),
  date: () => both(m.campaign_error_date),
  datetime: () => both(m.campaign_error_datetime),
  closeBeforeOpen: () => both(m.campaign_error_close_before_open),
  spendingOrder: () => both(m.campaign_error_spending_order),
  size: () => both(m.campaign_error_size),
  sizeOrder: () => both(m.campaign_error_size_order),
  days: () => both(m.campaign_error_days),
  amountGap: () => both(m.campaign_error_amount_gap),
  amountsMissing: () => both(m.campaign_error_amounts_missing),
  perMemberZero: () => both(m.campaign_error_per_member_zero),
  criterionRepeat: () => both(m.campaign_error_criterion_repeat),
  choice: () => both(m.campaign_error_choice),
  code: () => both(m.campaign_error_code),
  codeRepeat: () => both(m.campaign_error_code_repeat),
  text: () => both(m.campaign_error_text),
  percent: () => both(m.campaign_error_percent),
  excludedAll: () => both(m.campaign_error_excluded_all),
};

/** The portal's own problems as a form failure. */
export function problemsFailure(problems: CampaignProblems): FormFailure {
  const fields: Record<string, Localized> = {};
  for (const [field, problem] of Object.entries(problems)) {
    if (problem) fields[field] = PROBLEMS[problem]();
  }
  return { message: both(m.form_invalid), fields };
}

/** The message for a refusal of what only the Comune's MANAGER may do. */
export const MANAGER_ONLY: Partial<Record<ErrorCode, Localized>> = {
  get FORBIDDEN() {
    return both(m.campaign_error_manager_only);
  },
};

/** The API's field messages on the form's fields (the others go to the summary). */
export function apiFailure(
  errors: readonly ApiError[],
  rows?: { documentRows: readonly number[]; declarationRows: readonly number[] },
  overrides: Partial<Record<ErrorCode, Localized>> = {},
): FormFailure {
  const known: string[] = [];
  const renamed = errors.map((e) => ({
    ...e,
    fields: e.fields.map((f) => {
      const name = formFieldOf(f.field, rows);
      if (name) known.push(name);
      return { ...f, field: name ?? f.field };
    }),
  }));
  return formFailure(renamed, known, overrides);
}

/** What every action of the editor returns to the page (one shape, success or failure). */
export interface EditorResult {
  action: 'save' | 'simulate' | 'publish' | 'close' | 'budget';
  values: CampaignValues;
  failure: FormFailure | null;
  simulation: { base: SimulationView; variant: SimulationView | null } | null;
}

export function unavailableFailure(): FormFailure {
  return { message: both(m.error_503_text), fields: {} };
}

function toView(raw: {
  households: number;
  eligible: number;
  totalCostCents: unknown;
  budgetCents: unknown;
  funded: number;
  fundedCents: unknown;
  shortfallCents: unknown;
  exclusions: readonly { code: string; excluded: number }[];
  bySize: readonly { size: number; households: number; costCents: unknown }[];
  tookMs: number;
}): SimulationView {
  return {
    households: raw.households,
    eligible: raw.eligible,
    totalCostCents: centsOrZero(raw.totalCostCents),
    budgetCents: centsOrZero(raw.budgetCents),
    funded: raw.funded,
    fundedCents: centsOrZero(raw.fundedCents),
    shortfallCents: centsOrZero(raw.shortfallCents),
    exclusions: raw.exclusions.map((e) => ({ code: e.code, excluded: e.excluded })),
    bySize: raw.bySize.map((r) => ({
      size: r.size,
      households: r.households,
      costCents: centsOrZero(r.costCents),
    })),
    tookMs: raw.tookMs,
  };
}

interface ActionEvent {
  request: Request;
  locals: App.Locals;
}

/** The "Simula" button: the proposal and, when asked, its variant, side by side. */
export async function simulate(
  event: ActionEvent,
  comuneId: string,
): Promise<EditorResult | ActionFailure<EditorResult>> {
  const values = readCampaignForm(await event.request.formData());
  const parsed = parseSimulationForm(values);
  const variant = parsed.fields ? parseVariant(values, parsed.fields) : null;
  const problems = { ...parsed.problems, ...(variant?.problems ?? {}) };
  if (!parsed.fields || Object.keys(problems).length > 0) {
    return fail(400, {
      action: 'simulate',
      values,
      failure: problemsFailure(problems),
      simulation: null,
    } satisfies EditorResult);
  }
  const run = (fields: SimulationFields) =>
    event.locals.api(CampaignSimulationQuery, { input: { comuneId, ...fields } });
  const [base, other] = await Promise.all([
    run(parsed.fields),
    variant?.fields ? run(variant.fields) : Promise.resolve(null),
  ]);
  throwIfForbidden(base);
  const failed = !base.data ? base : other && !other.data ? other : null;
  if (failed || !base.data) {
    return fail(statusOf(failed ?? base), {
      action: 'simulate',
      values,
      failure: failed?.unavailable ? unavailableFailure() : apiFailure((failed ?? base).errors),
      simulation: null,
    } satisfies EditorResult);
  }
  return {
    action: 'simulate',
    values,
    failure: null,
    simulation: {
      base: toView(base.data.campaignSimulation),
      variant: other?.data ? toView(other.data.campaignSimulation) : null,
    },
  };
}

/** "Salva bozza": creates the draft (no id) or replaces it; then its page. */
export async function save(
  event: ActionEvent,
  comuneId: string,
  id: string | null,
): Promise<ActionFailure<EditorResult>> {
  const values = readCampaignForm(await event.request.formData());
  const parsed = parseCampaignForm(values);
  if (!parsed.fields) {
    return fail(400, {
      action: 'save',
      values,
      failure: problemsFailure(parsed.problems),
      simulation: null,
    } satisfies EditorResult);
  }
  const input = { comuneId, ...parsed.fields };
  const result = id
    ? await event.locals.api(UpdateCampaignMutation, { id, input })
    : await event.locals.api(CreateCampaignMutation, { input });
  const saved =
    result.data && 'createCampaign' in result.data
      ? result.data.createCampaign
      : result.data && 'updateCampaign' in result.data
        ? result.data.updateCampaign
        : null;
  if (saved) redirect(303, `/comune/${comuneId}/misure/${saved.id}?esito=salvata`);
  return fail(statusOf(result), {
    action: 'save',
    values,
    failure: result.unavailable ? unavailableFailure() : apiFailure(result.errors, parsed),
    simulation: null,
  } satisfies EditorResult);
}
