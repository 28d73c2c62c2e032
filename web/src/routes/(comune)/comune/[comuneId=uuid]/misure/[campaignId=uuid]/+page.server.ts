import { type ActionFailure, error, fail, redirect } from '@sveltejs/kit';
import { centsOrZero, parseEuroAmount } from '$lib/money';
import { statusOf } from '$lib/server/errors';
import { requireComuneStaff } from '$lib/server/guards';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import {
  type EditorResult,
  MANAGER_ONLY,
  apiFailure,
  problemsFailure,
  save,
  simulate,
  unavailableFailure,
} from '../campaign-actions.server';
import { MAX_CENTS, readCampaignForm } from '../campaign-fields';
import { campaignValues } from '../campaign-values';
import { isComuneManager } from '../access';
import {
  CampaignQuery,
  CloseCampaignMutation,
  PublishCampaignMutation,
  SetCampaignBudgetMutation,
} from '../operations.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** `?esito=` after a successful action: the page says what happened. */
const NOTICES = ['salvata', 'pubblicata', 'chiusa', 'bilancio'] as const;

export const load: PageServerLoad = async (event) => {
  const { comuneId, campaignId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(CampaignQuery, { id: campaignId });
  throwIfForbidden(result);
  const campaign = requireFound(result.data?.campaign, result);
  // A campaign of another Comune is not shown under this one's address.
  if (campaign.comune.id !== comuneId) error(404, 'Not found');
  const notice = NOTICES.find((n) => n === event.url.searchParams.get('esito')) ?? null;
  return {
    comuneId,
    campaign: {
      ...campaign,
      budgetCents: centsOrZero(campaign.budgetCents),
      rules: {
        ...campaign.rules,
        iseeThresholds: campaign.rules.iseeThresholds.map((t) => ({
          type: t.type,
          maxCents: centsOrZero(t.maxCents),
        })),
      },
      amountSchedule: {
        ...campaign.amountSchedule,
        bySizeCents: campaign.amountSchedule.bySizeCents.map(centsOrZero),
        perAdultCents: centsOrZero(campaign.amountSchedule.perAdultCents),
        perMinorCents: centsOrZero(campaign.amountSchedule.perMinorCents),
        capCents:
          campaign.amountSchedule.capCents == null
            ? null
            : centsOrZero(campaign.amountSchedule.capCents),
      },
    },
    values: campaignValues(campaign),
    isManager: isComuneManager(viewer, comuneId),
    notice,
  };
};

function guard(event: RequestEvent): { comuneId: string; campaignId: string } {
  const { comuneId, campaignId } = event.params;
  requireComuneStaff(event, comuneId);
  return { comuneId, campaignId };
}

function refused(
  action: EditorResult['action'],
  result: Parameters<typeof statusOf>[0],
  values: Record<string, string> = {},
): ActionFailure<EditorResult> {
  return fail(statusOf(result), {
    action,
    values,
    failure: result.unavailable
      ? unavailableFailure()
      : apiFailure(result.errors, undefined, MANAGER_ONLY),
    simulation: null,
  } satisfies EditorResult);
}

/**
 * Publishing and closing ask first (nothing sent to the API): the page states the consequence and
 * posts the same action again with `confirmed=1`.
 */
async function confirmFirst(
  event: RequestEvent,
  action: 'publish' | 'close',
): Promise<(EditorResult & { confirm: true }) | null> {
  const data = await event.request.formData();
  if (data.get('confirmed') === '1') return null;
  return { action, confirm: true, values: {}, failure: null, simulation: null };
}

export const actions: Actions = {
  save: (event) => {
    const { comuneId, campaignId } = guard(event);
    return save(event, comuneId, campaignId);
  },
  simulate: (event) => {
    const { comuneId } = guard(event);
    return simulate(event, comuneId);
  },
  publish: async (event) => {
    const { comuneId, campaignId } = guard(event);
    const confirm = await confirmFirst(event, 'publish');
    if (confirm) return confirm;
    const result = await event.locals.api(PublishCampaignMutation, { id: campaignId });
    if (!result.data?.publishCampaign) return refused('publish', result);
    redirect(303, `/comune/${comuneId}/misure/${campaignId}?esito=pubblicata`);
  },
  close: async (event) => {
    const { comuneId, campaignId } = guard(event);
    const confirm = await confirmFirst(event, 'close');
    if (confirm) return confirm;
    const result = await event.locals.api(CloseCampaignMutation, { id: campaignId });
    if (!result.data?.closeCampaign) return refused('close', result);
    redirect(303, `/comune/${comuneId}/misure/${campaignId}?esito=chiusa`);
  },
  budget: async (event) => {
    const { comuneId, campaignId } = guard(event);
    const values = { budget: readCampaignForm(await event.request.formData()).budget ?? '' };
    const parsed = values.budget
      ? parseEuroAmount(values.budget, MAX_CENTS)
      : { problem: 'required' as const };
    if ('problem' in parsed) {
      return fail(400, {
        action: 'budget',
        values,
        failure: problemsFailure({ budget: parsed.problem }),
        simulation: null,
      } satisfies EditorResult);
    }
    const result = await event.locals.api(SetCampaignBudgetMutation, {
      campaignId,
      budgetCents: parsed.cents,
    });
    if (!result.data?.setCampaignBudget) return refused('budget', result, values);
    redirect(303, `/comune/${comuneId}/misure/${campaignId}?esito=bilancio`);
  },
};
