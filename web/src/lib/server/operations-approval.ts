// The second approval (issue 19, item 4): a Comune's decision policy, and a decision proposed by
// an operator that a MANAGER confirms or sends back.
import { graphql } from './graphql';

export const DecisionPolicyQuery = graphql(`
  query DecisionPolicy($comuneId: ID!) {
    decisionPolicy(comuneId: $comuneId) {
      comuneId
      secondApproval
      amountLimitCents
      updatedAt
    }
  }
`);

export const SetDecisionPolicyMutation = graphql(`
  mutation SetDecisionPolicy(
    $comuneId: ID!
    $secondApproval: Boolean!
    $amountLimitCents: SafeInt
  ) {
    setDecisionPolicy(
      comuneId: $comuneId
      secondApproval: $secondApproval
      amountLimitCents: $amountLimitCents
    ) {
      comuneId
      secondApproval
      amountLimitCents
    }
  }
`);

export const PendingDecisionQuery = graphql(`
  query PendingDecision($id: ID!) {
    application(id: $id) {
      id
      pendingDecision {
        approve
        reason
        amountCents
        proposedByCaller
        proposedAt
      }
    }
  }
`);

export const ConfirmDecisionMutation = graphql(`
  mutation ConfirmDecision($id: ID!) {
    confirmDecision(id: $id) {
      id
      status
    }
  }
`);

export const ReturnDecisionMutation = graphql(`
  mutation ReturnDecision($id: ID!, $reason: String!) {
    returnDecision(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
