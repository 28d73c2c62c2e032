// The portal's operations of the Comune's IES pages (ies-circuit): editing an earning rule,
// hiding a project, the manual run of demurrage. Typed by gql.tada.
import { graphql } from './graphql';

export const IesEarningRulesQuery = graphql(`
  query IesEarningRulesForEdit($circuitId: ID!) {
    iesEarningRules(circuitId: $circuitId) {
      id
      kind
      name
      amountCents
      basisPoints
      volunteeringUnit
      visitsPerReward
      capCents
      capPeriod
      startsOn
      endsOn
      active
    }
  }
`);

export const UpdateIesEarningRuleMutation = graphql(`
  mutation UpdateIesEarningRule($ruleId: ID!, $input: IesEarningRuleInput!) {
    updateIesEarningRule(ruleId: $ruleId, input: $input) {
      id
    }
  }
`);

export const IesCircuitProjectsQuery = graphql(`
  query IesCircuitProjects($circuitId: ID!) {
    iesCircuitProjects(circuitId: $circuitId) {
      id
      title
      organisationName
      raisedCents
      targetCents
      endsOn
      status
      hidden
      hiddenReason
    }
  }
`);

export const HideIesProjectMutation = graphql(`
  mutation HideIesProject($id: ID!, $reason: String!) {
    hideIesProject(id: $id, reason: $reason) {
      id
      hidden
    }
  }
`);

export const RunIesDemurrageMutation = graphql(`
  mutation RunIesDemurrage($circuitId: ID!) {
    runIesDemurrage(circuitId: $circuitId) {
      month
      demurrageCharged
      demurrageCents
      expired
      expiredCents
    }
  }
`);
