// Operations of the IES catalogue pages (ies-circuit subgraph): fundraising projects and donations.
// Server-only. The "Accetta IES" badge reads `Offer.acceptsIes` in offers.ts.
import { graphql } from './graphql';

const IesProjectFields = graphql(`
  fragment IesProjectFields on IesProject @_unmask {
    id
    circuitCode
    organisationId
    organisationName
    title
    description
    targetCents
    endsOn
    status
    acceptingDonations
    raisedCents
    donorCount
    publicDonors
    hidden
    hiddenReason
    paidOutCents
    closedAt
  }
`);

export const IesProjectsQuery = graphql(
  `
    query IesProjects($circuitCode: String!) {
      iesCircuit(code: $circuitCode) {
        id
        code
        name
      }
      iesProjects(circuitCode: $circuitCode) {
        ...IesProjectFields
      }
    }
  `,
  [IesProjectFields],
);

export const IesProjectQuery = graphql(
  `
    query IesProject($id: ID!) {
      iesProject(id: $id) {
        ...IesProjectFields
      }
    }
  `,
  [IesProjectFields],
);

export const IesOrganisationProjectsQuery = graphql(
  `
    query IesOrganisationProjects($organisationId: ID!) {
      iesOrganisationProjects(organisationId: $organisationId) {
        ...IesProjectFields
      }
    }
  `,
  [IesProjectFields],
);

export const IesCircuitsQuery = graphql(`
  query IesCircuitsForProjects {
    iesCircuits {
      id
      code
      name
    }
  }
`);

export const CreateIesProjectMutation = graphql(`
  mutation CreateIesProject($input: CreateIesProjectInput!) {
    createIesProject(input: $input) {
      id
      circuitCode
    }
  }
`);

export const CloseIesProjectMutation = graphql(`
  mutation CloseIesProject($id: ID!) {
    closeIesProject(id: $id) {
      id
      status
      paidOutCents
    }
  }
`);

export const DonateIesMutation = graphql(`
  mutation DonateIes($input: DonateIesInput!) {
    donateIes(input: $input) {
      id
      amountCents
      project {
        id
        circuitCode
        raisedCents
        donorCount
      }
    }
  }
`);
