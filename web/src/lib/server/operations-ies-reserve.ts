// The portal's operations on the IES circuits' reserve (ies-circuit): transparency and impact
// (public), euro received and fee uses (the circuit's staff), conversions to euro (organisations
// and the circuit's manager). Typed by gql.tada.
import { graphql } from './graphql';

export const IesCircuitsQuery = graphql(`
  query IesCircuitsList {
    iesCircuits {
      id
      code
      name
      territory
      status
    }
  }
`);

export const IesTransparencyQuery = graphql(`
  query IesTransparency($code: String!) {
    iesTransparency(code: $code) {
      circuit {
        id
        code
        name
        territory
      }
      reserveCents
      issuedCents
      redeemedCents
      circulationCents
      feesCollectedCents
      feesUsedCents
      feesBalanceCents
      feeUses {
        id
        kind
        amountCents
        description
        createdAt
      }
      members {
        kind
        count
      }
      updatedAt
    }
  }
`);

export const IesImpactQuery = graphql(`
  query IesImpact($code: String!) {
    iesImpact(code: $code) {
      circuit {
        code
        name
        territory
      }
      localSpendingCents
      localPayments
      organisationsPaid
      members {
        kind
        count
      }
      circulationCents
      rewardsEarnedCents
      rewardsCount
      membersRewarded
      updatedAt
    }
  }
`);

export const IesManagedCircuitsQuery = graphql(`
  query IesManagedCircuitsForReserve {
    myManagedIesCircuits {
      id
      code
      name
      managerId
    }
  }
`);

export const IesReserveReceiptsQuery = graphql(`
  query IesReserveReceipts($circuitId: ID!) {
    iesReserveReceipts(circuitId: $circuitId) {
      id
      kind
      memberId
      funderName
      bankReference
      amountCents
      createdAt
    }
  }
`);

export const RecordIesEuroReceivedMutation = graphql(`
  mutation RecordIesEuroReceived($input: IesReserveReceiptInput!) {
    recordIesEuroReceived(input: $input) {
      id
      amountCents
    }
  }
`);

export const UseIesFeesMutation = graphql(`
  mutation UseIesFees($input: IesFeeUseInput!) {
    useIesFees(input: $input) {
      id
      amountCents
    }
  }
`);

const ConversionFields = graphql(`
  fragment IesConversionFields on IesConversion @_unmask {
    id
    circuitId
    organisationId
    amountCents
    feeCents
    netCents
    creditorName
    iban
    status
    reason
    createdAt
    decidedAt
  }
`);

export const IesCircuitConversionsQuery = graphql(
  `
    query IesCircuitConversions($circuitId: ID!, $status: IesConversionStatus) {
      iesCircuitConversions(circuitId: $circuitId, status: $status) {
        ...IesConversionFields
      }
    }
  `,
  [ConversionFields],
);

export const IesOrganisationConversionsQuery = graphql(
  `
    query IesOrganisationConversions($organisationId: ID!) {
      iesConversionAccounts(organisationId: $organisationId) {
        circuit {
          id
          code
          name
          conversionFeeBasisPoints
          conversionFeeMinCents
        }
        memberId
        availableCents
        hasIban
      }
      iesOrganisationConversions(organisationId: $organisationId) {
        ...IesConversionFields
      }
    }
  `,
  [ConversionFields],
);

export const RequestIesConversionMutation = graphql(`
  mutation RequestIesConversion($input: IesConversionRequestInput!) {
    requestIesConversion(input: $input) {
      id
      status
    }
  }
`);

export const ApproveIesConversionMutation = graphql(`
  mutation ApproveIesConversion($id: ID!) {
    approveIesConversion(id: $id) {
      id
      status
    }
  }
`);

export const RejectIesConversionMutation = graphql(`
  mutation RejectIesConversion($id: ID!, $reason: String!) {
    rejectIesConversion(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export const ExportIesConversionsSepaMutation = graphql(`
  mutation ExportIesConversionsSepa($circuitId: ID!, $conversionIds: [ID!]) {
    exportIesConversionsSepa(circuitId: $circuitId, conversionIds: $conversionIds) {
      fileName
      content
      count
      totalCents
    }
  }
`);
