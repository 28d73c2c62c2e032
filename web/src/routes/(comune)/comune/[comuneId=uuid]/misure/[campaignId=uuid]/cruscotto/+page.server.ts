import { error } from '@sveltejs/kit';
import type { Localized } from '$lib/locale';
import { centsOrZero } from '$lib/money';
import { findError } from '$lib/server/errors';
import { requireComuneStaff } from '$lib/server/guards';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import { CampaignDashboardQuery, periodParam } from './dashboard.server';
import type { PageServerLoad } from './$types';

/** What `invalidate` refreshes every 30 seconds while the page is visible. */
const DEPENDENCY = 'app:campaign-dashboard';
const NOTICES = ['non-disponibile', 'periodo'] as const;

export const load: PageServerLoad = async (event) => {
  const { comuneId, campaignId } = event.params;
  requireComuneStaff(event, comuneId);
  event.depends(DEPENDENCY);
  const values = { from: periodParam(event.url, 'from'), to: periodParam(event.url, 'to') };
  const period =
    values.from || values.to ? { from: values.from || null, to: values.to || null } : null;

  let result = await event.locals.api(CampaignDashboardQuery, { campaignId, period });
  // A bad period: say so beside the form, and show the whole series.
  const invalid = findError(result.errors, 'BAD_USER_INPUT');
  let failure: { message: Localized; fields: Record<string, Localized> } | null = null;
  if (invalid && period) {
    failure = {
      message: invalid.messages,
      fields: Object.fromEntries(
        invalid.fields.map((f) => [f.field.replace(/^period\./, ''), f.message]),
      ),
    };
    result = await event.locals.api(CampaignDashboardQuery, { campaignId, period: null });
  }
  throwIfForbidden(result);
  const d = requireFound(result.data?.campaignDashboard, result);
  if (d.comuneId !== comuneId) error(404, 'Not found');
  const notice = NOTICES.find((n) => n === event.url.searchParams.get('esito')) ?? null;
  return {
    comuneId,
    values,
    failure,
    notice,
    dashboard: {
      ...d,
      budgetCents: centsOrZero(d.budgetCents),
      committedCents: centsOrZero(d.committedCents),
      creditedCents: centsOrZero(d.creditedCents),
      spentCents: centsOrZero(d.spentCents),
      servicesCents: centsOrZero(d.servicesCents),
      returnedCents: centsOrZero(d.returnedCents),
      unspentCents: centsOrZero(d.unspentCents),
      byShop: d.byShop.map((s) => ({ ...s, amountCents: centsOrZero(s.amountCents) })),
      byCategory: d.byCategory.map((c) => ({ ...c, amountCents: centsOrZero(c.amountCents) })),
      byDay: d.byDay.map((x) => ({
        ...x,
        amountCents: centsOrZero(x.amountCents),
        creditedCents: centsOrZero(x.creditedCents),
        returnedCents: centsOrZero(x.returnedCents),
      })),
      bySource: d.bySource.map((x) => ({
        kind: x.kind,
        name: x.name,
        amountCents: centsOrZero(x.amountCents),
        budgetCents: centsOrZero(x.budgetCents),
        committedCents: centsOrZero(x.committedCents),
        creditedCents: centsOrZero(x.creditedCents),
        spentCents: centsOrZero(x.spentCents),
        returnedCents: centsOrZero(x.returnedCents),
      })),
      sourceAllocation: d.sourceAllocation,
    },
  };
};
