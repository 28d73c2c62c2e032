// The portal's operations on earning IES by taking part (ies-circuit), typed by gql.tada.
import { graphql } from './graphql';

const IesEarningRuleFields = graphql(`
  fragment IesEarningRuleFields on IesEarningRule @_unmask {
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
`);

const IesRewardFields = graphql(`
  fragment IesRewardFields on IesReward @_unmask {
    id
    kind
    memberName
    source
    requestedCents
    paidCents
    capped
    description
    descriptionEn
    createdAt
  }
`);

export const MyIesEarningsQuery = graphql(
  `
    query MyIesEarnings($code: String!) {
      iesCircuit(code: $code) {
        id
        code
        name
      }
      myIesEarnings(code: $code) {
        rules {
          rule {
            ...IesEarningRuleFields
          }
          earnedCents
          capLeftCents
        }
        rewards {
          ...IesRewardFields
        }
        initiatives {
          id
          title
          url
        }
        links {
          id
          token
          initiativeId
          visits
        }
      }
    }
  `,
  [IesEarningRuleFields, IesRewardFields],
);

export const IesShareLinkMutation = graphql(`
  mutation IesShareLink($code: String!, $initiativeId: ID!) {
    iesShareLink(code: $code, initiativeId: $initiativeId) {
      id
      token
    }
  }
`);

export const IesRewardsAdminQuery = graphql(
  `
    query IesRewardsAdmin($circuitId: ID!) {
      iesEarningRules(circuitId: $circuitId) {
        ...IesEarningRuleFields
      }
      iesRewards(circuitId: $circuitId, limit: 100) {
        ...IesRewardFields
      }
      iesShareInitiatives(circuitId: $circuitId) {
        id
        title
        url
        active
      }
    }
  `,
  [IesEarningRuleFields, IesRewardFields],
);

export const CreateIesEarningRuleMutation = graphql(`
  mutation CreateIesEarningRule($circuitId: ID!, $input: IesEarningRuleInput!) {
    createIesEarningRule(circuitId: $circuitId, input: $input) {
      id
    }
  }
`);

export const DeactivateIesEarningRuleMutation = graphql(`
  mutation DeactivateIesEarningRule($ruleId: ID!) {
    deactivateIesEarningRule(ruleId: $ruleId) {
      id
      active
    }
  }
`);

export const CreateIesShareInitiativeMutation = graphql(`
  mutation CreateIesShareInitiative($circuitId: ID!, $input: IesShareInitiativeInput!) {
    createIesShareInitiative(circuitId: $circuitId, input: $input) {
      id
    }
  }
`);

export const SyncIesAttendanceMutation = graphql(`
  mutation SyncIesAttendance($circuitId: ID!) {
    syncIesAttendance(circuitId: $circuitId) {
      read
      rewarded
    }
  }
`);

export const IesCircuitsQuery = graphql(`
  query IesCircuitsForShifts {
    iesCircuits {
      id
      code
      name
    }
  }
`);

export const ConfirmIesVolunteerShiftMutation = graphql(`
  mutation ConfirmIesVolunteerShift($input: IesVolunteerShiftInput!) {
    confirmIesVolunteerShift(input: $input) {
      shiftId
      outcome
      reward {
        paidCents
        requestedCents
        capped
      }
    }
  }
`);

export const RecordIesShareVisitMutation = graphql(`
  mutation RecordIesShareVisit($token: String!, $visitorKey: String!) {
    recordIesShareVisit(token: $token, visitorKey: $visitorKey) {
      url
      counted
    }
  }
`);
