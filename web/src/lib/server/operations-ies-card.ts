// Operations of the card's fallback at the till (issue 17): the split of a card payment between
// the voucher credit and the holder's IES, and the payments' IES part.
import { graphql } from './graphql';

/** How a card payment would be paid (the PIN is checked; nothing is spent). */
export const PreviewCardChargeMutation = graphql(`
  mutation PreviewCardCharge($input: ChargeCardInput!) {
    previewCardCharge(input: $input) {
      voucherCents
      iesCents
      payable
      iesCircuitName
      iesUnavailable
    }
  }
`);

/** The charge, with the IES part of its receipt. */
export const ChargeCardWithIesMutation = graphql(`
  mutation ChargeCardWithIes($input: ChargeCardInput!) {
    chargeCard(input: $input) {
      residualCents
      payment {
        id
        amountCents
        iesCents
        category
        createdAt
      }
    }
  }
`);

/** A shop's payments, with their IES part ("di cui IES"). */
export const ShopPaymentsIesQuery = graphql(`
  query ShopPaymentsIes($accreditationId: ID!) {
    shopPayments(accreditationId: $accreditationId, first: 20) {
      id
      cardLast4
      amountCents
      iesCents
      category
      status
      createdAt
      voidedAt
    }
  }
`);
