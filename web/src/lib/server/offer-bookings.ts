// Operations of the bookings of catalogue offers (third-sector subgraph). Server-only.
import { graphql } from './graphql';

export const BookableOfferQuery = graphql(`
  query BookableOffer($id: ID!) {
    offer(id: $id) {
      id
      title
      category
      priceKind
      priceCents
      packageDescription
      format
      capacity
      status
      inCatalogue
      tutoringProgrammeId
      provider {
        id
        name
      }
      comune {
        id
        name
      }
    }
  }
`);

export const BookOfferMutation = graphql(`
  mutation BookOffer($input: BookOfferInput!) {
    bookOffer(input: $input) {
      id
      status
    }
  }
`);

export const MyOfferBookingsQuery = graphql(`
  query MyOfferBookings {
    myOfferBookings {
      id
      offerId
      offerTitle
      serviceDate
      quantity
      priceKind
      unitPriceCents
      amountDueCents
      paymentStatus
      payBy
      status
      note
      declineReason
      cancelReason
      cancellable
      createdAt
      payee {
        id
        name
      }
    }
  }
`);

export const ProviderOfferBookingsQuery = graphql(`
  query ProviderOfferBookings($providerId: ID!) {
    providerOfferBookings(providerId: $providerId) {
      id
      offerId
      offerTitle
      citizenFiscalCode
      serviceDate
      quantity
      priceKind
      unitPriceCents
      amountDueCents
      paymentStatus
      status
      note
      declineReason
      cancelReason
      refundDue
      contactPhone
      contactEmail
      attendee {
        givenName
        familyName
        fiscalCode
        birthDate
      }
      createdAt
    }
  }
`);

export const CancelOfferBookingMutation = graphql(`
  mutation CancelOfferBooking($id: ID!) {
    cancelOfferBooking(id: $id) {
      id
      status
    }
  }
`);

export const ConfirmOfferBookingMutation = graphql(`
  mutation ConfirmOfferBooking($id: ID!) {
    confirmOfferBooking(id: $id) {
      id
      status
    }
  }
`);

export const DeclineOfferBookingMutation = graphql(`
  mutation DeclineOfferBooking($id: ID!, $reason: String!) {
    declineOfferBooking(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
