import { centsOrNull } from '$lib/money';
import { graphql } from '$lib/server/graphql';
import { requireFound } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';
import { RANKING_NOTICE_PARAM } from './ranking-download';

const MeasureQuery = graphql(`
  query Measure($id: ID!) {
    campaign(id: $id) {
      id
      kind
      status
      title
      description
      contacts
      applicationsOpenAt
      applicationsCloseAt
      spendingFrom
      spendingUntil
      acceptingApplications
      rankedAt
      comune {
        id
        name
      }
      rules {
        requireResidency
        iseeThresholds {
          type
          maxCents
        }
        minSize
        maxSize
        excludePublicSupport
      }
      amountSchedule {
        mode
        bySizeCents
        perAdultCents
        perMinorCents
        capCents
      }
      requiredDocuments {
        code
        labelIt
        labelEn
        mandatory
      }
      declarations {
        code
        textIt
        textEn
      }
    }
  }
`);

const RankingQuery = graphql(`
  query MeasureRanking($campaignId: ID!) {
    campaignRanking(campaignId: $campaignId) {
      rank
      protocolNumber
      iseeCents
      size
      minors
      amountCents
      funded
    }
  }
`);

/**
 * A published (or closed) measure: who it is for, how to apply, what is needed, what you get,
 * deadlines and contacts; its ranking by protocol number once computed. Public.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
  const result = await locals.api(MeasureQuery, { id: params.id });
  const campaign = requireFound(result.data?.campaign, result);
  const ranking = campaign.rankedAt
    ? await locals.api(RankingQuery, { campaignId: campaign.id })
    : null;
  const { rules, amountSchedule } = campaign;
  const now = Date.now();
  return {
    campaign: {
      ...campaign,
      upcoming: new Date(campaign.applicationsOpenAt).getTime() > now,
      rules: {
        ...rules,
        iseeThresholds: rules.iseeThresholds.map((t) => ({
          type: t.type,
          maxCents: centsOrNull(t.maxCents) ?? 0,
        })),
      },
      amountSchedule: {
        mode: amountSchedule.mode,
        bySizeCents: amountSchedule.bySizeCents.map((c) => centsOrNull(c) ?? 0),
        perAdultCents: centsOrNull(amountSchedule.perAdultCents) ?? 0,
        perMinorCents: centsOrNull(amountSchedule.perMinorCents) ?? 0,
        capCents: centsOrNull(amountSchedule.capCents),
      },
    },
    ranking:
      ranking?.data?.campaignRanking?.map((row) => ({
        ...row,
        iseeCents: centsOrNull(row.iseeCents),
        amountCents: centsOrNull(row.amountCents) ?? 0,
      })) ?? null,
    rankingUnavailable: ranking !== null && ranking.unavailable,
    /** A ranking download that did not start came back here with `?graduatoria=…`. */
    rankingNotice: url.searchParams.has(RANKING_NOTICE_PARAM),
    /** Files come through the gateway to logged-in people only: anonymous visitors are told. */
    loggedIn: locals.viewer !== null,
  };
};
