// Operations of the booking calendar, places left, attendees and the provider's cancellation
// (third-sector subgraph). Server-only.
import { graphql } from './graphql';

export const OfferBookableDaysQuery = graphql(`
  query OfferBookableDays($offerId: ID!, $first: Int) {
    offerBookableDays(offerId: $offerId, first: $first) {
      date
      placesLeft
    }
  }
`);

export const CancelOfferBookingAsProviderMutation = graphql(`
  mutation CancelOfferBookingAsProvider($id: ID!, $reason: String!) {
    cancelOfferBookingAsProvider(id: $id, reason: $reason) {
      id
      status
      refundDue
    }
  }
`);
