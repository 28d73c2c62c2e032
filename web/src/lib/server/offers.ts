// Operations of the catalogue and the provider's offer pages (third-sector subgraph). Server-only.
import { graphql } from './graphql';

export const CatalogueQuery = graphql(`
  query Catalogue($input: CatalogueSearchInput) {
    catalogue(input: $input) {
      total
      page
      pageSize
      pageCount
      items {
        id
        title
        description
        category
        targets
        priceKind
        priceCents
        format
        capacity
        places {
          name
          municipality
          latitude
          longitude
        }
        provider {
          id
          name
        }
        coveredByCampaigns {
          id
          title
        }
        # The logged-in employee's welfare plan covers it (corporate-welfare; false for anyone else).
        coveredByMyPlan
        # Its provider takes IES (ies-circuit; null when the circuit could not answer).
        acceptsIes
      }
      facets {
        categories {
          value
          count
        }
        targets {
          value
          count
        }
        pricing {
          value
          count
        }
        municipalities {
          value
          count
        }
        weekdays {
          value
          count
        }
      }
    }
  }
`);

export const CatalogueMeasuresQuery = graphql(`
  query CatalogueMeasures {
    publishedCampaigns {
      id
      title
      description
      acceptingApplications
      serviceCategories
      comune {
        id
        name
      }
    }
  }
`);

export const OfferQuery = graphql(`
  query Offer($id: ID!) {
    offer(id: $id) {
      id
      providerId
      comuneId
      title
      description
      category
      targets
      priceKind
      priceCents
      packageDescription
      format
      capacity
      status
      inCatalogue
      tutoringProgrammeId
      scheduleNotes
      contactEmail
      contactPhone
      contactWebsite
      places {
        id
        name
        address
        municipality
        latitude
        longitude
      }
      schedule {
        weekday
        startTime
        endTime
      }
      provider {
        id
        name
      }
      comune {
        id
        name
      }
      coveredByCampaigns {
        id
        title
      }
      # Its provider takes IES (ies-circuit; null when the circuit could not answer).
      acceptsIes
      # The logged-in employee's welfare plans that cover it (corporate-welfare; empty for anyone else).
      myCoveringWelfarePlans {
        planId
        planName
      }
    }
  }
`);

export const ProviderOffersQuery = graphql(`
  query ProviderOffers($providerId: ID!) {
    providerOffers(providerId: $providerId) {
      id
      title
      category
      status
      inCatalogue
      withdrawnByComune
      withdrawalReason
      republishRequestedAt
      tutoringProgrammeId
      comune {
        id
        name
      }
    }
  }
`);

/** The Comuni a provider may write offers for: those it is accredited by (and the others). */
export const OfferComuniQuery = graphql(`
  query OfferComuni($providerId: ID!) {
    providerAccreditations(providerId: $providerId) {
      id
      status
      effective
      comune {
        id
        name
      }
    }
  }
`);

export const CreateOfferMutation = graphql(`
  mutation CreateOffer($providerId: ID!, $comuneId: ID!, $input: OfferInput!) {
    createOffer(providerId: $providerId, comuneId: $comuneId, input: $input) {
      id
    }
  }
`);

export const UpdateOfferMutation = graphql(`
  mutation UpdateOffer($id: ID!, $input: OfferInput!) {
    updateOffer(id: $id, input: $input) {
      id
    }
  }
`);

export const PublishOfferMutation = graphql(`
  mutation PublishOffer($id: ID!) {
    publishOffer(id: $id) {
      id
      status
    }
  }
`);

export const WithdrawOfferMutation = graphql(`
  mutation WithdrawOffer($id: ID!) {
    withdrawOffer(id: $id) {
      id
      status
    }
  }
`);
