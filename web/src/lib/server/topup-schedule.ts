// Operations of the scheduled top-ups (the "Ricariche programmate" section of a campaign's top-ups).
import { graphql } from './graphql';

export const TopUpScheduleQuery = graphql(`
  query TopUpSchedule($campaignId: ID!) {
    topUpSchedule(campaignId: $campaignId) {
      campaignId
      today
      spendingUntil
      returnedCents
      returnedAt
      tranches {
        number
        percent
        dueOn
        status
        creditedCents
        appliedAt
        lastError {
          it
          en
        }
      }
    }
  }
`);

export const ScheduleTopUpMutation = graphql(`
  mutation ScheduleTopUp($input: ScheduleTopUpInput!) {
    scheduleTopUp(input: $input) {
      number
      status
    }
  }
`);

export const CancelScheduledTopUpMutation = graphql(`
  mutation CancelScheduledTopUp($campaignId: ID!, $number: Int!) {
    cancelScheduledTopUp(campaignId: $campaignId, number: $number) {
      number
      status
    }
  }
`);

export const RecurringTopUpPlanQuery = graphql(`
  query RecurringTopUpPlan($input: RecurringTopUpInput!) {
    recurringTopUpPlan(input: $input) {
      number
      percent
      dueOn
    }
  }
`);

export const ScheduleRecurringTopUpsMutation = graphql(`
  mutation ScheduleRecurringTopUps($input: RecurringTopUpInput!) {
    scheduleRecurringTopUps(input: $input) {
      number
      status
    }
  }
`);
