// Every operation the portal sends to the gateway, typed by gql.tada.
import { graphql } from './graphql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      platformAdmin
      person {
        id
        givenName
        familyName
        fiscalCode
        email
      }
      memberships {
        id
        role
        status
        organisation {
          id
          kind
          name
        }
      }
    }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      expiresAt
    }
  }
`);

export const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($input: PasswordResetRequestInput!) {
    requestPasswordReset(input: $input)
  }
`);

export const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: PasswordResetInput!) {
    resetPassword(input: $input)
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

export const StartCitizenLoginMutation = graphql(`
  mutation StartCitizenLogin($input: CitizenLoginStartInput!) {
    startCitizenLogin(input: $input) {
      authorizationUrl
      state
      nonce
      codeVerifier
    }
  }
`);

export const CompleteCitizenLoginMutation = graphql(`
  mutation CompleteCitizenLogin($input: CitizenLoginCompleteInput!) {
    completeCitizenLogin(input: $input) {
      token
      expiresAt
    }
  }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      token
      expiresAt
    }
  }
`);

export const OrganisationsQuery = graphql(`
  query Organisations {
    organisations {
      id
      kind
      name
      taxCode
      email
      city
    }
  }
`);

export const CreateOrganisationMutation = graphql(`
  mutation CreateOrganisation($input: CreateOrganisationInput!) {
    createOrganisation(input: $input) {
      id
      name
    }
  }
`);

export const OrganisationQuery = graphql(`
  query Organisation($id: ID!) {
    organisation(id: $id) {
      id
      kind
      name
      taxCode
      iban
      email
      city
      members {
        id
        role
        status
        createdAt
        person {
          id
          givenName
          familyName
          email
        }
      }
    }
  }
`);

export const InviteMemberMutation = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      token
      expiresAt
      membership {
        id
      }
    }
  }
`);

export const HouseholdsQuery = graphql(`
  query Households($comuneId: ID!, $filter: HouseholdFilter, $first: Int, $after: String) {
    organisation(id: $comuneId) {
      id
      kind
      name
    }
    households(comuneId: $comuneId, filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        code
        address
        resident
        size
        latestIncome {
          iseeCents
          iseeType
          validUntil
        }
      }
    }
  }
`);

export const ImportJobsQuery = graphql(`
  query ImportJobs($comuneId: ID!) {
    organisation(id: $comuneId) {
      id
      kind
      name
    }
    importJobs(comuneId: $comuneId) {
      id
      kind
      status
      rowsRead
      rowsImported
      rowsRejected
      createdAt
      finishedAt
    }
  }
`);

export const ImportJobQuery = graphql(`
  query ImportJob($id: ID!) {
    importJob(id: $id) {
      id
      kind
      status
      rowsRead
      rowsImported
      rowsRejected
      rowsChanged
      encoding
      separator
      createdAt
      startedAt
      finishedAt
      comune {
        id
      }
      rejections {
        line
        field
        reasonIt
        reasonEn
      }
    }
  }
`);

export const SegmentsQuery = graphql(`
  query Segments($comuneId: ID!) {
    segments(comuneId: $comuneId) {
      id
      name
      householdCount
      filter {
        iseeMax
        iseeType
        minSize
        maxSize
        hasMinors
        hasElderly
        hasDisability
        receivesPublicSupport
      }
    }
  }
`);

export const SaveSegmentMutation = graphql(`
  mutation SaveSegment($input: SaveSegmentInput!) {
    saveSegment(input: $input) {
      id
    }
  }
`);

export const DeleteSegmentMutation = graphql(`
  mutation DeleteSegment($id: ID!) {
    deleteSegment(id: $id)
  }
`);

export const OpenCampaignsQuery = graphql(`
  query OpenCampaigns($comuneId: ID!) {
    campaigns(comuneId: $comuneId) {
      id
      title
      status
      acceptingApplications
    }
  }
`);

export const InviteSegmentMutation = graphql(`
  mutation InviteSegment($segmentId: ID!, $campaignId: ID!) {
    inviteSegmentToApply(segmentId: $segmentId, campaignId: $campaignId) {
      households
      invited
    }
  }
`);
