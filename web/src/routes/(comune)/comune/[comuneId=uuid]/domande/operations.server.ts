// The case pages' operations (queue, bulk approval, one case and its actions).
import { graphql } from '$lib/server/graphql';

export const QueueQuery = graphql(`
  query ApplicationQueue(
    $comuneId: ID!
    $filter: ApplicationQueueFilter
    $first: Int
    $after: String
  ) {
    organisation(id: $comuneId) {
      id
      kind
      name
    }
    campaigns(comuneId: $comuneId) {
      id
      title
      status
      acceptingApplications
    }
    applicationQueue(comuneId: $comuneId, filter: $filter, first: $first, after: $after) {
      totalCount
      hasNextPage
      endCursor
      nodes {
        id
        status
        protocolNumber
        submittedAt
        onBehalf
        amountCents
        dueBy
        assignedToMe
        applicantFiscalCode
        checks {
          code
          passed
        }
        campaign {
          id
          title
        }
      }
    }
  }
`);

export const CampaignChoicesQuery = graphql(`
  query OnBehalfCampaigns($comuneId: ID!) {
    campaigns(comuneId: $comuneId) {
      id
      acceptingApplications
    }
  }
`);

export const BulkApproveMutation = graphql(`
  mutation BulkApprove($ids: [ID!]!) {
    bulkApproveApplications(ids: $ids) {
      approved {
        id
        protocolNumber
      }
      notFunded {
        id
        protocolNumber
      }
      pendingApproval {
        id
        protocolNumber
      }
      skipped {
        id
        reasonIt
        reasonEn
      }
    }
  }
`);

export const CaseQuery = graphql(`
  query Case($id: ID!) {
    application(id: $id) {
      id
      status
      protocolNumber
      submittedAt
      createdAt
      onBehalf
      amountCents
      rank
      dueBy
      decisionReason
      decidedAt
      revokedReturnedCents
      revokedSpentCents
      applicantFiscalCode
      email
      phone
      notes
      acceptedDeclarations
      assignedToMe
      assignedTo {
        id
        givenName
        familyName
      }
      checks {
        code
        passed
        messageIt
        messageEn
      }
      facts {
        resident
        size
        minors
        hasDisability
        iseeCents
        iseeType
        receivesPublicSupport
      }
      documents {
        id
        code
        fileName
        contentType
        sizeBytes
        sha256
        uploadedAt
      }
      timeline {
        id
        kind
        actorRole
        fromStatus
        toStatus
        note
        at
      }
      campaign {
        id
        title
        comune {
          id
        }
        requiredDocuments {
          code
          labelIt
          labelEn
          mandatory
        }
        declarations {
          code
          textIt
          textEn
        }
      }
    }
  }
`);

export const AssignMutation = graphql(`
  mutation AssignApplication($id: ID!, $release: Boolean!) {
    assignApplication(id: $id, release: $release) {
      id
      assignedToMe
    }
  }
`);

export const StartReviewMutation = graphql(`
  mutation StartApplicationReview($id: ID!) {
    startApplicationReview(id: $id) {
      id
      status
    }
  }
`);

export const RequestIntegrationMutation = graphql(`
  mutation RequestApplicationIntegration($id: ID!, $reason: String!) {
    requestApplicationIntegration(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export const DecideMutation = graphql(`
  mutation DecideApplication($id: ID!, $approve: Boolean!, $reason: String) {
    decideApplication(id: $id, approve: $approve, reason: $reason) {
      id
      status
    }
  }
`);

/** The MANAGER revokes a granted benefit (decadenza): the card's unspent credit goes back. */
export const RevokeBenefitMutation = graphql(`
  mutation RevokeBenefit($input: RevokeBenefitInput!) {
    revokeBenefit(input: $input) {
      applicationId
      returnedCents
      spentCents
    }
  }
`);
