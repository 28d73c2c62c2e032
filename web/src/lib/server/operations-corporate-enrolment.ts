// GraphQL operations of the HR pages of employees and their enrolment by CSV (cw-enrolment).
import { graphql } from './graphql';

export const EmployerEmployeesQuery = graphql(`
  query EmployerEmployees($employerId: ID!, $search: String, $first: Int, $offset: Int) {
    employerEmployees(employerId: $employerId, search: $search, first: $first, offset: $offset) {
      totalCount
      offset
      items {
        id
        fiscalCode
        givenName
        familyName
        email
        categoryCode
        startDate
        endDate
        invitedAt
      }
    }
  }
`);

export const EmployerEmployeeQuery = graphql(`
  query EmployerEmployee($employerId: ID!, $id: ID!) {
    employerEmployee(employerId: $employerId, id: $id) {
      id
      fiscalCode
      givenName
      familyName
      email
      categoryCode
      startDate
      endDate
      dependentChildren
      invitedAt
    }
    employerWelfarePlans(employerId: $employerId) {
      id
      categories {
        code
        name
      }
    }
  }
`);

export const ChangeEmployerEmployeeMutation = graphql(`
  mutation ChangeEmployerEmployee(
    $employerId: ID!
    $id: ID!
    $input: EnrolledEmployeeChangeInput!
  ) {
    changeEmployerEmployee(employerId: $employerId, id: $id, input: $input) {
      id
    }
  }
`);

export const EnrolmentJobsQuery = graphql(`
  query EnrolmentJobs($employerId: ID!) {
    enrolmentJobs(employerId: $employerId) {
      id
      status
      rowsRead
      rowsImported
      rowsRejected
      rowsCreated
      rowsChanged
      createdAt
      finishedAt
    }
  }
`);

export const EnrolmentJobQuery = graphql(`
  query EnrolmentJob($employerId: ID!, $id: ID!) {
    enrolmentJob(employerId: $employerId, id: $id) {
      id
      status
      rowsRead
      rowsImported
      rowsRejected
      rowsCreated
      rowsChanged
      createdAt
      startedAt
      finishedAt
      rejections {
        line
        field
        reasonIt
        reasonEn
      }
    }
  }
`);
