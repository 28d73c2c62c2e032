import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import {
  CreateIesEarningRuleMutation,
  CreateIesShareInitiativeMutation,
  DeactivateIesEarningRuleMutation,
  IesRewardsAdminQuery,
  SyncIesAttendanceMutation,
} from '$lib/server/operations-ies-earn';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';
import { RULE_FIELDS, parseRule, ruleValues } from './rule-form.server';

/** The circuit's earning rules, the rewards paid, the initiatives to share (its staff). */
export const load: PageServerLoad = async (event) => {
  const { comuneId, circuitId } = event.params;
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(IesRewardsAdminQuery, { circuitId });
  throwIfForbidden(result);
  const notice = event.url.searchParams.get('esito');
  return {
    comuneId,
    circuitId,
    rules: result.data?.iesEarningRules ?? [],
    rewards: result.data?.iesRewards ?? [],
    initiatives: result.data?.iesShareInitiatives ?? [],
    notice,
    read: event.url.searchParams.get('lette'),
    rewarded: event.url.searchParams.get('premiate'),
    unavailable: result.unavailable || !result.data?.iesEarningRules,
  };
};

const page = (comuneId: string, circuitId: string) => `/comune/${comuneId}/ies/${circuitId}/premi`;

export const actions: Actions = {
  /** A new rule: amounts typed in IES as people write them (2,50), the rest as the API takes it. */
  createRule: async (event) => {
    const { comuneId, circuitId } = event.params;
    requireComuneStaff(event, comuneId);
    const values = ruleValues(await event.request.formData());
    const parsed = parseRule(values);
    if (!parsed.input) {
      return fail(400, {
        failure: { message: both(m.form_invalid), fields: parsed.fields },
        values,
      });
    }
    const result = await event.locals.api(CreateIesEarningRuleMutation, {
      circuitId,
      input: parsed.input,
    });
    if (!result.data?.createIesEarningRule) return failWith(result, [...RULE_FIELDS], values);
    redirect(303, `${page(comuneId, circuitId)}?esito=regola-creata`);
  },
  deactivate: async (event) => {
    const { comuneId, circuitId } = event.params;
    requireComuneStaff(event, comuneId);
    const ruleId = text(await event.request.formData(), 'ruleId');
    const result = await event.locals.api(DeactivateIesEarningRuleMutation, { ruleId });
    if (!result.data?.deactivateIesEarningRule) return failWith(result, [], {});
    redirect(303, `${page(comuneId, circuitId)}?esito=regola-disattivata`);
  },
  initiative: async (event) => {
    const { comuneId, circuitId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { title: text(data, 'title'), url: text(data, 'url') };
    const result = await event.locals.api(CreateIesShareInitiativeMutation, {
      circuitId,
      input: values,
    });
    if (!result.data?.createIesShareInitiative) return failWith(result, ['title', 'url'], values);
    redirect(303, `${page(comuneId, circuitId)}?esito=iniziativa-creata`);
  },
  /** Reads third-sector's attendance feed now. */
  sync: async (event) => {
    const { comuneId, circuitId } = event.params;
    requireComuneStaff(event, comuneId);
    const result = await event.locals.api(SyncIesAttendanceMutation, { circuitId });
    const sync = result.data?.syncIesAttendance;
    if (!sync) return failWith(result, [], {});
    redirect(
      303,
      `${page(comuneId, circuitId)}?esito=sincronizzato&lette=${sync.read}&premiate=${sync.rewarded}`,
    );
  },
};
