import { dayParam } from '$lib/dates';
import { formFailure } from '$lib/server/errors';
import { campaignTitles } from '$lib/server/money';
import { throwIfForbidden } from '$lib/server/refusals';
import { MerchantReimbursementShopsQuery, ShopDashboardQuery } from '$lib/server/reimbursements';
import { requireMerchantMember } from '../access';
import type { PageServerLoad } from './$types';

/** Payments per page of the dashboard. */
const PAGE_SIZE = 20;

/**
 * The shop's reimbursement dashboard (its OWNERs and CASHIERs): one agreement at a time
 * (`?convenzione=`), a period (`?dal=&al=`, yyyy-mm-dd) and a page (`?pagina=`).
 */
export const load: PageServerLoad = async (event) => {
  requireMerchantMember(event);
  const { merchantId } = event.params;
  const { url } = event;
  const result = await event.locals.api(MerchantReimbursementShopsQuery, { merchantId });
  throwIfForbidden(result);
  const accreditations = (result.data?.merchantAccreditations ?? []).filter(
    (a) => a.status !== 'PENDING',
  );
  const titles = await campaignTitles(
    event.locals.api,
    accreditations.map((a) => a.campaignId),
    result.data?.publishedCampaigns ?? [],
  );
  const shops = accreditations.map((a) => ({
    id: a.id,
    label: `${titles.get(a.campaignId) ?? a.campaignId} — ${a.businessName}`,
  }));
  const wanted = url.searchParams.get('convenzione');
  const shop = shops.find((s) => s.id === wanted) ?? shops[0] ?? null;
  const filter = {
    from: url.searchParams.get('dal')?.trim() ?? '',
    to: url.searchParams.get('al')?.trim() ?? '',
  };
  const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get('pagina')) || 1));
  const base = {
    merchantId,
    shops,
    shop,
    filter,
    page,
    pageSize: PAGE_SIZE,
    unavailable: result.unavailable || !result.data,
  };
  if (!shop) return { ...base, dashboard: null, failure: null };
  const answer = await event.locals.api(ShopDashboardQuery, {
    accreditationId: shop.id,
    from: filter.from || null,
    to: filter.to || null,
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const dashboard = answer.data?.shopReimbursementDashboard ?? null;
  const failure =
    !dashboard && !answer.unavailable ? formFailure(answer.errors, ['from', 'to']) : null;
  return {
    ...base,
    unavailable: base.unavailable || answer.unavailable,
    failure,
    dashboard: dashboard && {
      ...dashboard,
      totals: Object.fromEntries(
        Object.entries(dashboard.totals).map(([k, v]) => [k, Number(v)]),
      ) as Record<keyof typeof dashboard.totals, number>,
      transactions: dashboard.transactions.map((t) => ({
        ...t,
        amountCents: Number(t.amountCents),
      })),
    },
    /** The statement's query string, when the period is well formed. */
    statement:
      (filter.from === '' || dayParam(url, 'dal')) && (filter.to === '' || dayParam(url, 'al'))
        ? new URLSearchParams({
            convenzione: shop.id,
            ...(filter.from ? { dal: filter.from } : {}),
            ...(filter.to ? { al: filter.to } : {}),
          }).toString()
        : null,
  };
};
