// The campaign pages' operations (measures, simulation, publication, budget and ranking).
import { graphql } from '$lib/server/graphql';

export const CampaignsQuery = graphql(`
  query ComuneCampaigns($comuneId: ID!) {
    organisation(id: $comuneId) {
      id
      kind
      name
    }
    campaigns(comuneId: $comuneId) {
      id
      kind
      status
      title
      budgetCents
      applicationsOpenAt
      applicationsCloseAt
      acceptingApplications
      rankedAt
    }
  }
`);

export const CampaignQuery = graphql(`
  query ComuneCampaign($id: ID!) {
    campaign(id: $id) {
      id
      kind
      status
      title
      description
      contacts
      budgetCents
      applicationsOpenAt
      applicationsCloseAt
      spendingFrom
      spendingUntil
      publishedAt
      rankedAt
      acceptingApplications
      decisionDays
      rankingCriteria
      excludedCategories
      serviceCategories
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

export const CreateCampaignMutation = graphql(`
  mutation CreateCampaign($input: CampaignInput!) {
    createCampaign(input: $input) {
      id
    }
  }
`);

export const UpdateCampaignMutation = graphql(`
  mutation UpdateCampaign($id: ID!, $input: CampaignInput!) {
    updateCampaign(id: $id, input: $input) {
      id
    }
  }
`);

export const PublishCampaignMutation = graphql(`
  mutation PublishCampaign($id: ID!) {
    publishCampaign(id: $id) {
      id
      status
    }
  }
`);

export const CloseCampaignMutation = graphql(`
  mutation CloseCampaign($id: ID!) {
    closeCampaign(id: $id) {
      id
      status
    }
  }
`);

export const SetCampaignBudgetMutation = graphql(`
  mutation SetCampaignBudget($campaignId: ID!, $budgetCents: SafeInt!) {
    setCampaignBudget(campaignId: $campaignId, budgetCents: $budgetCents) {
      id
      budgetCents
    }
  }
`);

export const CampaignSimulationQuery = graphql(`
  query CampaignSimulation($input: SimulationInput!) {
    campaignSimulation(input: $input) {
      households
      eligible
      totalCostCents
      budgetCents
      funded
      fundedCents
      shortfallCents
      exclusions {
        code
        excluded
      }
      bySize {
        size
        households
        costCents
      }
      tookMs
    }
  }
`);

export const CampaignRankingQuery = graphql(`
  query CampaignRanking($campaignId: ID!) {
    campaign(id: $campaignId) {
      id
      title
      status
      budgetCents
      rankedAt
      comune {
        id
      }
    }
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

export const RankCampaignMutation = graphql(`
  mutation RankCampaign($campaignId: ID!) {
    rankCampaign(campaignId: $campaignId) {
      id
      rankedAt
    }
  }
`);
