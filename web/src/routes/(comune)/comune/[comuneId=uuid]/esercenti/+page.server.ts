import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { formFailure } from '$lib/server/errors';
import { requireComuneStaff } from '$lib/server/guards';
import { CampaignShopsQuery, DecideShopMutation } from '$lib/server/money';
import { throwIfForbidden } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import { CampaignsQuery } from '../misure/operations.server';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['ACCREDITED', 'SUSPENDED'] as const;

/** The shops that asked to join the Comune's published (or closed) campaigns. */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(CampaignsQuery, { comuneId });
  throwIfForbidden(result);
  const live = (result.data?.campaigns ?? []).filter((c) => c.status !== 'DRAFT');
  const campaigns = await Promise.all(
    live.map(async (campaign) => {
      const shops = await event.locals.api(CampaignShopsQuery, { campaignId: campaign.id });
      return {
        id: campaign.id,
        title: campaign.title,
        shops: shops.data?.campaignShops ?? [],
        unavailable: shops.unavailable || !shops.data?.campaignShops,
      };
    }),
  );
  const esito = event.url.searchParams.get('esito');
  return {
    comuneId,
    campaigns,
    notice: NOTICES.find((n) => n === esito) ?? null,
    unavailable: result.unavailable || !result.data?.campaigns,
  };
};

export const actions: Actions = {
  decide: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const id = data.get('id');
    const status = data.get('status');
    if (
      typeof id !== 'string' ||
      !isUuid(id) ||
      (status !== 'ACCREDITED' && status !== 'SUSPENDED')
    ) {
      return fail(400, { failure: { message: both(m.form_invalid), fields: {} } });
    }
    // A decision asks first (nothing sent to the API): the page states the consequence and posts
    // the same shop and status again with `confirmed=1`.
    if (data.get('confirmed') !== '1') return { confirm: { id, status } };
    const result = await event.locals.api(DecideShopMutation, { id, status });
    if (!result.data?.decideShopAccreditation) {
      const failure = result.unavailable
        ? { message: both(m.error_503_text), fields: {} }
        : formFailure(result.errors, []);
      return fail(result.unavailable ? 503 : 400, { failure });
    }
    redirect(303, `/comune/${comuneId}/esercenti?esito=${status}#esito`);
  },
};
