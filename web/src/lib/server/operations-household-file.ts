// The household file of the Comune's staff (issue 19): the registry search, the household page
// and its notes. Kept apart from operations.ts to keep merges small.
import { graphql } from './graphql';

export const HouseholdSearchQuery = graphql(`
  query HouseholdSearch($comuneId: ID!, $search: HouseholdSearch!) {
    householdSearch(comuneId: $comuneId, search: $search) {
      id
      code
      address
      resident
      members {
        id
        givenName
        familyName
      }
    }
  }
`);

export const HouseholdFileQuery = graphql(`
  query HouseholdFile($id: ID!) {
    household(id: $id) {
      id
      code
      address
      resident
      comune {
        id
      }
      members {
        id
        givenName
        familyName
        fiscalCode
        birthDate
        relation
        disability
      }
      incomeHistory {
        id
        declarantFiscalCode
        iseeCents
        iseeType
        validUntil
        receivesPublicSupport
      }
      applications {
        id
        protocolNumber
        status
        submittedAt
        amountCents
        campaign {
          id
          title
        }
      }
      cards {
        id
        number
        status
        holderFiscalCode
        createdAt
      }
      cardBalances {
        cardId
        campaignTitle
        creditedCents
        spentCents
        availableCents
        spendingUntil
      }
      cardPayments {
        id
        amountCents
        category
        status
        createdAt
      }
      messages {
        id
        channel
        subject
        status
        createdAt
      }
      notes {
        id
        text
        createdAt
      }
      attachments {
        id
        description
        fileName
        contentType
        sizeBytes
        createdAt
      }
    }
  }
`);

export const AddHouseholdNoteMutation = graphql(`
  mutation AddHouseholdNote($input: AddHouseholdNoteInput!) {
    addHouseholdNote(input: $input) {
      id
    }
  }
`);
