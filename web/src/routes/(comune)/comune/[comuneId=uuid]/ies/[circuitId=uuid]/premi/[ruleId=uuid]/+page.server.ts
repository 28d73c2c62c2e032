import { error, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import {
  IesEarningRulesQuery,
  UpdateIesEarningRuleMutation,
} from '$lib/server/operations-ies-comune';
import { throwIfForbidden } from '$lib/server/refusals';
import { RULE_FIELDS, parseRule, ruleFormValues, ruleValues } from '../rule-form.server';
import type { Actions, PageServerLoad } from './$types';

/** One earning rule of the circuit, in its edit form, prefilled (the circuit's staff). */
export const load: PageServerLoad = async (event) => {
  const { comuneId, circuitId, ruleId } = event.params;
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(IesEarningRulesQuery, { circuitId });
  throwIfForbidden(result);
  if (!result.data) error(result.unavailable ? 503 : 500, 'IES earning rules unavailable');
  const rule = result.data.iesEarningRules.find((r) => r.id === ruleId);
  if (!rule) error(404, 'Not found');
  return {
    comuneId,
    circuitId,
    rule: { id: rule.id, name: rule.name, kind: rule.kind, active: rule.active },
    values: ruleFormValues(rule),
  };
};

export const actions: Actions = {
  /** Saves the rule (its kind does not change): field errors keep what was typed. */
  default: async (event) => {
    const { comuneId, circuitId, ruleId } = event.params;
    requireComuneStaff(event, comuneId);
    const values = ruleValues(await event.request.formData());
    const parsed = parseRule(values);
    if (!parsed.input) {
      return fail(400, {
        failure: { message: both(m.form_invalid), fields: parsed.fields },
        values,
      });
    }
    const result = await event.locals.api(UpdateIesEarningRuleMutation, {
      ruleId,
      input: parsed.input,
    });
    if (!result.data?.updateIesEarningRule) return failWith(result, [...RULE_FIELDS], values);
    redirect(303, `/comune/${comuneId}/ies/${circuitId}/premi?esito=regola-aggiornata`);
  },
};
