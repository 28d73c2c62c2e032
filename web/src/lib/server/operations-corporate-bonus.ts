// The portal's operations on performance-bonus conversion (corporate-welfare), typed by gql.tada.
import { graphql } from './graphql';

const BonusConversionFields = graphql(`
  fragment BonusConversionFields on BonusConversion @_unmask {
    id
    planId
    planName
    employeeName
    bonusCents
    convertedCents
    cashNetIfAllCashCents
    cashNetCents
    taxBasisPoints
    contributionBasisPoints
    ratesSource
    status
    decisionReason
    createdAt
    decidedAt
  }
`);

export const MyBonusQuery = graphql(
  `
    query MyBonus {
      myBonusConvertiblePlans {
        id
        name
        year
      }
      myBonusConversions {
        ...BonusConversionFields
      }
    }
  `,
  [BonusConversionFields],
);

export const BonusQuoteQuery = graphql(`
  query BonusQuote($input: BonusConversionInput!) {
    bonusConversionQuote(input: $input) {
      year
      bonusCents
      convertedCents
      allCash {
        grossCents
        contributionCents
        taxCents
        netCents
      }
      cashPart {
        grossCents
        contributionCents
        taxCents
        netCents
      }
      creditCents
      gainCents
      taxBasisPoints
      contributionBasisPoints
      source
    }
  }
`);

export const RequestBonusMutation = graphql(`
  mutation RequestBonus($input: BonusConversionInput!) {
    requestBonusConversion(input: $input) {
      id
      status
    }
  }
`);

export const EmployerBonusQuery = graphql(
  `
    query EmployerBonus($employerId: ID!, $status: BonusConversionStatus) {
      employerBonusConversions(employerId: $employerId, status: $status) {
        ...BonusConversionFields
      }
    }
  `,
  [BonusConversionFields],
);

export const ConfirmBonusMutation = graphql(`
  mutation ConfirmBonus($id: ID!) {
    confirmBonusConversion(id: $id) {
      id
      status
    }
  }
`);

export const RejectBonusMutation = graphql(`
  mutation RejectBonus($id: ID!, $reason: String!) {
    rejectBonusConversion(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
