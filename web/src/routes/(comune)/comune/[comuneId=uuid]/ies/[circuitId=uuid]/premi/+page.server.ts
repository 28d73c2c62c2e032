import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroCents } from '$lib/money';
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

/** The rule form's fields, named as the API's input (so its field errors land on them). */
const RULE_FIELDS = [
  'kind',
  'name',
  'amountCents',
  'basisPoints',
  'volunteeringUnit',
  'visitsPerReward',
  'capCents',
  'capPeriod',
  'startsOn',
  'endsOn',
] as const;
type RuleField = (typeof RULE_FIELDS)[number];
const KINDS = ['LOCAL_PURCHASE', 'ATTENDANCE', 'VOLUNTEERING', 'SHARING'] as const;
const PERIODS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
const UNITS = ['HOUR', 'SHIFT'] as const;

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

const whole = (value: string): number | null => (/^\d{1,7}$/.test(value) ? Number(value) : null);
const oneOf = <T extends string>(values: readonly T[], value: string): T | null =>
  (values as readonly string[]).includes(value) ? (value as T) : null;
const page = (comuneId: string, circuitId: string) => `/comune/${comuneId}/ies/${circuitId}/premi`;

export const actions: Actions = {
  /** A new rule: amounts typed in IES as people write them (2,50), the rest as the API takes it. */
  createRule: async (event) => {
    const { comuneId, circuitId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = Object.fromEntries(RULE_FIELDS.map((f) => [f, text(data, f)])) as Record<
      RuleField,
      string
    >;
    const fields: Record<string, Localized> = {};
    const kind = oneOf(KINDS, values.kind);
    if (!kind) fields.kind = both(m.required_field);
    const capCents = parseEuroCents(values.capCents);
    if (capCents === null) fields.capCents = both(m.iee_error_amount);
    let amountCents: number | null = null;
    let basisPoints: number | null = null;
    let visitsPerReward: number | null = null;
    if (kind === 'LOCAL_PURCHASE') {
      basisPoints = whole(values.basisPoints);
      if (basisPoints === null) fields.basisPoints = both(m.iee_error_number);
    } else if (kind) {
      amountCents = parseEuroCents(values.amountCents);
      if (amountCents === null) fields.amountCents = both(m.iee_error_amount);
    }
    if (kind === 'SHARING') {
      visitsPerReward = whole(values.visitsPerReward);
      if (visitsPerReward === null) fields.visitsPerReward = both(m.iee_error_number);
    }
    if (Object.keys(fields).length > 0) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(CreateIesEarningRuleMutation, {
      circuitId,
      input: {
        kind: kind!,
        name: values.name,
        amountCents,
        basisPoints,
        volunteeringUnit: kind === 'VOLUNTEERING' ? oneOf(UNITS, values.volunteeringUnit) : null,
        visitsPerReward,
        capCents: capCents!,
        capPeriod: oneOf(PERIODS, values.capPeriod) ?? 'MONTH',
        startsOn: values.startsOn,
        endsOn: values.endsOn || null,
      },
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
