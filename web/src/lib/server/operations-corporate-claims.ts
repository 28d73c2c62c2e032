// The portal's operations for corporate-welfare reimbursement claims and the monthly payroll
// export (cw-claims), typed by gql.tada. Claims are filed through the upload route
// (`corporate-claims.ts`), not GraphQL.
import { graphql } from './graphql';

const ClaimFields = graphql(`
  fragment CorporateClaimFields on WelfareClaim @_unmask {
    id
    planName
    employeeName
    employeeFiscalCode
    purpose
    relationship
    beneficiaryName
    beneficiaryFiscalCode
    beneficiaryBirthDate
    beneficiaryDependent
    expenseDate
    description
    amountCents
    status
    rejectionReason
    decidedAt
    createdAt
    receipts {
      id
      fileName
      contentType
      sizeBytes
    }
  }
`);

export const MyClaimsQuery = graphql(
  `
    query MyWelfareClaims {
      myWelfareClaims {
        ...CorporateClaimFields
      }
      myWelfareClaimOptions {
        planId
        planName
        employerId
        year
        purposes
        availableCents
      }
    }
  `,
  [ClaimFields],
);

export const MyClaimOptionsQuery = graphql(`
  query MyWelfareClaimOptions {
    myWelfareClaimOptions {
      planId
      planName
      employerId
      year
      purposes
      availableCents
    }
  }
`);

export const ClaimQuery = graphql(
  `
    query WelfareClaim($id: ID!) {
      welfareClaim(id: $id) {
        ...CorporateClaimFields
      }
    }
  `,
  [ClaimFields],
);

export const EmployerClaimsQuery = graphql(
  `
    query EmployerWelfareClaims(
      $employerId: ID!
      $status: WelfareClaimStatus
      $first: Int
      $offset: Int
    ) {
      employerWelfareClaims(
        employerId: $employerId
        status: $status
        first: $first
        offset: $offset
      ) {
        totalCount
        items {
          ...CorporateClaimFields
        }
      }
    }
  `,
  [ClaimFields],
);

export const ApproveClaimMutation = graphql(`
  mutation ApproveWelfareClaim($id: ID!) {
    approveWelfareClaim(id: $id) {
      id
      status
    }
  }
`);

export const RejectClaimMutation = graphql(`
  mutation RejectWelfareClaim($id: ID!, $reason: String!) {
    rejectWelfareClaim(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export const PayrollQuery = graphql(`
  query EmployerWelfarePayroll($employerId: ID!, $month: String!) {
    employerWelfarePayroll(employerId: $employerId, month: $month) {
      month
      capSource
      rows {
        employeeId
        fiscalCode
        familyName
        givenName
        reimbursementsCents
        reimbursementsCount
        fringeBenefitsCents
        fringeBenefitsYearCents
        fringeBenefitCapCents
        fringeBenefitsTaxableCents
        fringeBenefitsNonTaxableCents
        nonTaxableCents
        taxableCents
        capExceeded
      }
    }
  }
`);
