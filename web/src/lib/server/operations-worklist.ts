// The Comune's worklist (its staff's home page): the counts of public-welfare and third-sector.
import { graphql } from './graphql';

export const ComuneWorklistQuery = graphql(`
  query ComuneWorklist($comuneId: ID!) {
    comuneWorklist(comuneId: $comuneId) {
      comuneId
      today
      toDecide
      overdue
      nextDueBy
      integrationsAnswered
      awaitingIntegration
      batchesToApprove
      shopsToReview
      decisionsToConfirm
    }
    providerAccreditationQueue(
      comuneId: $comuneId
      filter: { statuses: [SUBMITTED, IN_REVIEW], first: 1 }
    ) {
      totalCount
    }
  }
`);
