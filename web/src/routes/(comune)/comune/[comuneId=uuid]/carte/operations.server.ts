// The Comune's card pages' operations (list, one card, block, unblock). Issuance and
// replacement go through the gateway's upload route (cards.server.ts): only they answer the PINs.
import { graphql } from '$lib/server/graphql';

export const CardsQuery = graphql(`
  query ComuneCards($comuneId: ID!, $status: CardStatus, $first: Int!, $after: String) {
    organisation(id: $comuneId) {
      id
      kind
      name
    }
    campaigns(comuneId: $comuneId) {
      id
      title
      status
    }
    cards(comuneId: $comuneId, status: $status, first: $first, after: $after) {
      totalCount
      hasNextPage
      endCursor
      nodes {
        id
        number
        status
        blockReason
        holderFiscalCode
        createdAt
      }
    }
  }
`);

export const CardQuery = graphql(`
  query ComuneCard($id: ID!) {
    card(id: $id) {
      id
      number
      status
      blockReason
      blockedAt
      locked
      pinFailures
      replacedBy
      holderFiscalCode
      createdAt
      updatedAt
      comune {
        id
      }
      issuedBy {
        id
        givenName
        familyName
      }
    }
  }
`);

export const BlockCardMutation = graphql(`
  mutation BlockCard($id: ID!, $reason: CardBlockReason!) {
    blockCard(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export const UnblockCardMutation = graphql(`
  mutation UnblockCard($id: ID!) {
    unblockCard(id: $id) {
      id
      status
    }
  }
`);
