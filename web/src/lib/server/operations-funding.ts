// Operations of a campaign's funding sources (the "Fonti di finanziamento" page of a campaign).
import { graphql } from './graphql';

export const CampaignFundingQuery = graphql(`
  query CampaignFunding($id: ID!) {
    campaign(id: $id) {
      id
      title
      status
      budgetCents
      comune {
        id
      }
      fundingSources {
        kind
        name
        amountCents
      }
      fundingAllocation
    }
    campaignDashboard(campaignId: $id) {
      bySource {
        spentCents
        remainingCents
      }
    }
  }
`);

export const SetCampaignFundingSourcesMutation = graphql(`
  mutation SetCampaignFundingSources(
    $campaignId: ID!
    $sources: [FundingSourceInput!]!
    $allocation: FundingAllocation!
  ) {
    setCampaignFundingSources(campaignId: $campaignId, sources: $sources, allocation: $allocation) {
      id
      fundingAllocation
      fundingSources {
        kind
        name
        amountCents
      }
    }
  }
`);
