import { graphql } from '$lib/server/graphql';
import type { PageServerLoad } from './$types';

const PublishedCampaignsQuery = graphql(`
  query PublishedCampaigns {
    publishedCampaigns {
      id
      kind
      title
      description
      applicationsOpenAt
      applicationsCloseAt
      acceptingApplications
      rankedAt
      comune {
        id
        name
      }
    }
  }
`);

/** The catalogue of published measures (public, anonymous too), closing soonest first. */
export const load: PageServerLoad = async ({ locals }) => {
  const result = await locals.api(PublishedCampaignsQuery);
  const now = Date.now();
  return {
    campaigns: (result.data?.publishedCampaigns ?? []).map((campaign) => ({
      ...campaign,
      upcoming: new Date(campaign.applicationsOpenAt).getTime() > now,
    })),
    unavailable: result.unavailable || !result.data?.publishedCampaigns,
  };
};
