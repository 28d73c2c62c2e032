// The campaign dashboard's operation and its CSV and Excel downloads, streamed from the gateway.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { graphql } from '$lib/server/graphql';
import { requireComuneStaff } from '$lib/server/guards';
import { streamDownload, throwIfForbidden } from '$lib/server/refusals';

export const CampaignDashboardQuery = graphql(`
  query CampaignDashboard($campaignId: ID!, $period: DashboardPeriodInput) {
    campaignDashboard(campaignId: $campaignId, period: $period) {
      campaignId
      comuneId
      campaignTitle
      spendingFrom
      spendingUntil
      generatedAt
      budgetCents
      committedCents
      approvedApplications
      creditedCents
      spentCents
      servicesCents
      returnedCents
      unspentCents
      beneficiariesCredited
      cardsWithCredit
      beneficiariesWithCredit
      payments
      voidedPayments
      byShop {
        accreditationId
        businessName
        status
        payments
        amountCents
      }
      byCategory {
        category
        payments
        amountCents
      }
      periodFrom
      periodTo
      byDay {
        date
        payments
        amountCents
        creditedCents
        returnedCents
      }
      bySource {
        kind
        name
        amountCents
        budgetCents
        committedCents
        creditedCents
        spentCents
        returnedCents
      }
      sourceAllocation
    }
  }
`);

/** A day of the period form (`yyyy-mm-dd` from a date input), trimmed: the API validates it. */
export function periodParam(url: URL, name: 'from' | 'to'): string {
  return (url.searchParams.get(name) ?? '').trim().slice(0, 10);
}

/**
 * `GET …/cruscotto/cruscotto.csv|xlsx?from=&to=`: the dashboard's export for the Comune's staff.
 * Problems go back to the dashboard with a notice (`?esito=`).
 */
export async function dashboardDownload(
  event: RequestEvent<{ comuneId: string; campaignId: string }>,
  format: 'csv' | 'xlsx',
): Promise<Response> {
  const { comuneId, campaignId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  const params = new URLSearchParams({ campaignId });
  for (const name of ['from', 'to'] as const) {
    const value = periodParam(event.url, name);
    if (value) params.set(name, value);
  }
  const file = await streamDownload(event, {
    subgraph: 'public-welfare',
    path: `files/monitoring/dashboard.${format}`,
    params,
  });
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'notFound') error(404, 'Not found');
  const notice = file.problem === 'unavailable' ? 'non-disponibile' : 'periodo';
  redirect(303, `/comune/${comuneId}/misure/${campaignId}/cruscotto?esito=${notice}`);
}
