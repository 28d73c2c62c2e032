// Operations of the direct lists: beneficiaries of measures decided outside the platform.
import { graphql } from './graphql';

export const ImportBeneficiaryListMutation = graphql(`
  mutation ImportBeneficiaryList($campaignId: ID!, $contentBase64: String!) {
    importBeneficiaryList(campaignId: $campaignId, contentBase64: $contentBase64) {
      accepted
      encoding
      separator
      rows
      created
      unchanged
      newCents
      budgetLeftCents
      rejections {
        line
        field
        reasonIt
        reasonEn
      }
    }
  }
`);

export const DirectListBeneficiariesQuery = graphql(`
  query DirectListBeneficiaries($campaignId: ID!, $first: Int!, $after: String) {
    directListBeneficiaries(campaignId: $campaignId, first: $first, after: $after) {
      totalCount
      hasNextPage
      endCursor
      nodes {
        applicationId
        fiscalCode
        amountCents
        reason
        protocolNumber
        cardIssued
        creditedCents
      }
    }
  }
`);

export const CorrectDirectListEntryMutation = graphql(`
  mutation CorrectDirectListEntry($input: CorrectDirectListEntryInput!) {
    correctDirectListEntry(input: $input) {
      applicationId
      changed
      withdrawn
      amountCents
    }
  }
`);
