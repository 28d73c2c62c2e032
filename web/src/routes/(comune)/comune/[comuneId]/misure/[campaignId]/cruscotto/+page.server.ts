import { error } from '@sveltejs/kit';
import type { Localized } from '$lib/locale';
import { findError } from '$lib/server/errors';
import { isUuid, requireComuneStaff } from '$lib/server/guards';
import { cents } from '../../campaign-form';
import { CampaignDashboardQuery, periodParam } from './dashboard.server';
import type { PageServerLoad } from './$types';

/** What `invalidate` refreshes every 30 seconds while the page is visible. */
const DEPENDENCY = 'app:campaign-dashboard';
const NOTICES = ['non-disponibile', 'periodo'] as const;

export const load: PageServerLoad = async (event) => {
  const { comuneId, campaignId } = event.params;
  requireComuneStaff(event, comuneId);
  if (!isUuid(campaignId)) error(404, 'Not found');
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
  if (findError(result.errors, 'FORBIDDEN')) error(403, 'Forbidden');
  const d = result.data?.campaignDashboard ?? null;
  if (!d) {
    if (result.unavailable) error(503, 'Unavailable');
    error(404, 'Not found');
  }
  if (d.comuneId !== comuneId) error(404, 'Not found');
  const notice = NOTICES.find((n) => n === event.url.searchParams.get('esito')) ?? null;
  return {
    comuneId,
    values,
    failure,
    notice,
    dashboard: {
      ...d,
      budgetCents: cents(d.budgetCents),
      committedCents: cents(d.committedCents),
      creditedCents: cents(d.creditedCents),
      spentCents: cents(d.spentCents),
      returnedCents: cents(d.returnedCents),
      unspentCents: cents(d.unspentCents),
      byShop: d.byShop.map((s) => ({ ...s, amountCents: cents(s.amountCents) })),
      byCategory: d.byCategory.map((c) => ({ ...c, amountCents: cents(c.amountCents) })),
      byDay: d.byDay.map((x) => ({
        ...x,
        amountCents: cents(x.amountCents),
        creditedCents: cents(x.creditedCents),
        returnedCents: cents(x.returnedCents),
      })),
    },
  };
};
