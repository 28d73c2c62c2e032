// Operations of the Comune's review of its catalogue: tariffs of the accreditation call, the
// withdrawal and reinstatement of single offers, the provider's request to publish again.
// Server-only (third-sector subgraph).
import { graphql } from './graphql';

export const ComuneOfferReviewQuery = graphql(`
  query ComuneOfferReview($comuneId: ID!) {
    accreditationTariffs(comuneId: $comuneId) {
      category
      priceKind
      maxPriceCents
    }
    offersAboveTariff(comuneId: $comuneId) {
      id
      title
      category
      priceKind
      priceCents
      status
      provider {
        id
        name
      }
    }
    comuneOffers(comuneId: $comuneId) {
      id
      title
      category
      priceKind
      priceCents
      status
      withdrawnByComune
      withdrawalReason
      republishRequestedAt
      tutoringProgrammeId
      provider {
        id
        name
      }
    }
  }
`);

export const SetAccreditationTariffMutation = graphql(`
  mutation SetAccreditationTariff($input: AccreditationTariffInput!) {
    setAccreditationTariff(input: $input) {
      category
      priceKind
      maxPriceCents
    }
  }
`);

export const WithdrawOfferByComuneMutation = graphql(`
  mutation WithdrawOfferByComune($id: ID!, $reason: String!) {
    withdrawOfferByComune(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export const ReinstateOfferMutation = graphql(`
  mutation ReinstateOffer($id: ID!) {
    reinstateOffer(id: $id) {
      id
      status
    }
  }
`);

export const RequestOfferRepublicationMutation = graphql(`
  mutation RequestOfferRepublication($id: ID!) {
    requestOfferRepublication(id: $id) {
      id
      republishRequestedAt
    }
  }
`);
