// The portal's operation on a welfare plan's usage report (corporate-welfare), typed by gql.tada.
import { graphql } from './graphql';

export const PlanReportQuery = graphql(`
  query PlanReport($planId: ID!) {
    welfarePlanReport(planId: $planId) {
      plan {
        id
        employerId
        name
        year
      }
      employees
      creditedCents
      spentCents
      endedCents
      balanceCents
      heldCents
      byCategory {
        code
        name
        employees
        creditedCents
        spentCents
      }
      byPurpose {
        purpose
        spentCents
        count
      }
      byMonth {
        month
        creditedCents
        spentCents
      }
    }
  }
`);
