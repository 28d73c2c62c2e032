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
    }
  }
`);

export const SetCampaignFundingSourcesMutation = graphql(`
  mutation SetCampaignFundingSources($campaignId: ID!, $sources: [FundingSourceInput!]!) {
    setCampaignFundingSources(campaignId: $campaignId, sources: $sources) {
      id
      fundingSources {
        kind
        name
        amountCents
      }
    }
  }
`);
