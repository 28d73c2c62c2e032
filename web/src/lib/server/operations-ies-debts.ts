// The portal's operations on the card fallback's debts (ies-circuit), typed by gql.tada.
import { graphql } from './graphql';

export const IesCardFallbackDebtsQuery = graphql(`
  query IesCardFallbackDebts($circuitId: ID!) {
    iesCardFallbackDebts(circuitId: $circuitId) {
      authorisationId
      holderName
      shopName
      amountCents
      feeCents
      status
      createdAt
      settledAt
    }
  }
`);
