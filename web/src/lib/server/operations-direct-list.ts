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
