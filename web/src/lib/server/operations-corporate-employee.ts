// The portal's operations of the employee's corporate welfare (the citizen's plans, credit and
// movements) and of the fringe-benefit cap (HR's page), corporate-welfare subgraph; gql.tada.
import { graphql } from './graphql';

/** The logged-in employee's plans, with a page of each plan's movements. */
export const MyWelfarePlansQuery = graphql(`
  query MyWelfarePlans($first: Int!, $after: String) {
    myWelfarePlans {
      employeeId
      employer {
        id
        name
      }
      planId
      name
      year
      validFrom
      validUntil
      status
      categoryCode
      categoryName
      purposes
      endRule
      grantedCents
      balanceCents
      pendingCents
      availableCents
      fringeBenefit {
        year
        capCents
        capSource
        warningCents
        totalCents
        remainingCents
        level
      }
      movements(first: $first, after: $after) {
        nodes {
          id
          at
          kind
          amountCents
          balanceAfterCents
        }
        hasNextPage
        endCursor
      }
    }
  }
`);

/** HR's page: the employees against the cap, and the plans whose credit can pay a benefit. */
export const EmployerFringeBenefitsQuery = graphql(`
  query EmployerFringeBenefits($employerId: ID!, $year: Int!) {
    employerFringeBenefits(employerId: $employerId, year: $year) {
      employeeId
      givenName
      familyName
      categoryCode
      dependentChildren
      status {
        capCents
        warningCents
        declaredCents
        grantedCents
        totalCents
        remainingCents
        level
      }
    }
    employerWelfarePlans(employerId: $employerId) {
      id
      name
      year
      status
      purposes
    }
  }
`);

export const DeclareFringeBenefitMutation = graphql(`
  mutation DeclareFringeBenefit($input: DeclareFringeBenefitInput!) {
    declareFringeBenefit(input: $input) {
      benefit {
        id
      }
      status {
        employeeId
        level
      }
    }
  }
`);

export const GrantFringeBenefitMutation = graphql(`
  mutation GrantFringeBenefit($input: GrantFringeBenefitInput!) {
    grantFringeBenefit(input: $input) {
      benefit {
        id
      }
      status {
        employeeId
        level
      }
    }
  }
`);

/** The employer's dashboard for a tax year. */
export const EmployerWelfareDashboardQuery = graphql(`
  query EmployerWelfareDashboard($employerId: ID!, $year: Int!) {
    employerWelfareDashboard(employerId: $employerId, year: $year) {
      year
      employees
      fringeWarnings
      fringeExceeded
      plans {
        planId
        name
        status
        employees
        fundedCents
        poolCents
        creditedCents
        servicesCents
        reimbursementsCents
        fringeBenefitsCents
        endedCents
        balanceCents
        heldCents
      }
    }
  }
`);
