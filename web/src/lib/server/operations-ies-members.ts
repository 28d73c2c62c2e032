// The portal's operations on IES circuit membership and wallets (ies-circuit), typed by gql.tada.
import { graphql } from './graphql';

const IesMemberFields = graphql(`
  fragment IesMemberFields on IesMember @_unmask {
    id
    circuitId
    kind
    status
    displayName
    organisationId
    vatNumber
    address
    iban
    categories
    acceptsIes
    decisionReason
    decidedAt
    createdAt
  }
`);

const IesCircuitFields = graphql(`
  fragment IesCircuitFields on IesCircuit @_unmask {
    id
    code
    name
    territory
    managerId
    feeFixedCents
    feeBasisPoints
    feeMaxCents
    feePayer
    welfareExempt
    conversionFeeBasisPoints
    conversionFeeMinCents
    demurrageBasisPoints
    expiryMonths
    status
  }
`);

export const IesCircuitsAndMembershipsQuery = graphql(
  `
    query IesCircuitsAndMemberships {
      iesCircuits {
        ...IesCircuitFields
      }
      myIesMemberships {
        ...IesMemberFields
        circuit {
          code
          name
        }
      }
    }
  `,
  [IesCircuitFields, IesMemberFields],
);

export const IesWalletQuery = graphql(
  `
    query IesWallet($code: String!, $organisationId: ID, $before: String) {
      iesWallet(code: $code, organisationId: $organisationId) {
        balanceCents
        availableCents
        member {
          ...IesMemberFields
        }
        circuit {
          ...IesCircuitFields
        }
        movements(first: 20, before: $before) {
          items {
            transferId
            at
            amountCents
            code
            status
            counterpartyName
          }
          nextCursor
        }
      }
    }
  `,
  [IesCircuitFields, IesMemberFields],
);

export const JoinIesCircuitMutation = graphql(`
  mutation JoinIesCircuit($code: String!, $displayName: String) {
    joinIesCircuit(code: $code, displayName: $displayName) {
      id
      status
    }
  }
`);

export const RequestIesMembershipMutation = graphql(`
  mutation RequestIesMembership($input: IesMembershipRequestInput!) {
    requestIesMembership(input: $input) {
      id
      status
    }
  }
`);

export const ManagedIesCircuitsQuery = graphql(
  `
    query ManagedIesCircuits {
      myManagedIesCircuits {
        ...IesCircuitFields
      }
    }
  `,
  [IesCircuitFields],
);

/**
 * A page of the members list (the staff's list, the reserve's member picker) and how many match in
 * all (the same filters), in one request.
 */
export const IesMemberPageQuery = graphql(
  `
    query IesMemberPage(
      $circuitId: ID!
      $status: IesMemberStatus
      $kind: IesMemberKind
      $search: String
      $limit: Int!
      $offset: Int!
    ) {
      iesMembers(
        circuitId: $circuitId
        status: $status
        kind: $kind
        search: $search
        limit: $limit
        offset: $offset
      ) {
        ...IesMemberFields
      }
      iesMemberCount(circuitId: $circuitId, status: $status, kind: $kind, search: $search)
    }
  `,
  [IesMemberFields],
);

/** How many of the circuit's members match the filters (where a decision lands in the list). */
export const IesMemberCountQuery = graphql(`
  query IesMemberCount(
    $circuitId: ID!
    $status: IesMemberStatus
    $kind: IesMemberKind
    $search: String
  ) {
    iesMemberCount(circuitId: $circuitId, status: $status, kind: $kind, search: $search)
  }
`);

export const DecideIesMemberMutation = graphql(`
  mutation DecideIesMember($memberId: ID!, $decision: IesMemberDecision!, $reason: String) {
    decideIesMember(memberId: $memberId, decision: $decision, reason: $reason) {
      id
      status
    }
  }
`);

export const UpdateIesCircuitRulesMutation = graphql(
  `
    mutation UpdateIesCircuitRules($circuitId: ID!, $input: IesCircuitRulesInput!) {
      updateIesCircuitRules(circuitId: $circuitId, input: $input) {
        ...IesCircuitFields
      }
    }
  `,
  [IesCircuitFields],
);
