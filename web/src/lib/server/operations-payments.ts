// Operations of the citizen's payments (payments subgraph): the checkout of a booking, the card
// page's return, the list of payments and the receipt. Server-only.
import { graphql } from './graphql';

/** The fields of a checkout every page reads (unmasked: the operations' types stay flat). */
const CheckoutFields = graphql(`
  fragment CheckoutFields on Checkout @_unmask {
    id
    payableRef
    amountCents
    descriptionIt
    descriptionEn
    status
    failureReason
    cardUrl
    holdsUntil
    createdAt
    paidAt
    legs {
      id
      kind
      fundKind
      labelIt
      labelEn
      amountCents
      status
      refundedCents
    }
  }
`);

export const CheckoutOptionsQuery = graphql(`
  query CheckoutOptions($payableRef: String!) {
    checkoutOptions(payableRef: $payableRef) {
      payableRef
      state
      amountCents
      descriptionIt
      descriptionEn
      payee {
        id
        name
      }
      funds {
        owner
        fundId
        kind
        labelIt
        labelEn
        balanceCents
        spendableCents
        endsOn
      }
      unavailableOwners
      cardAvailable
      cardMinimumCents
      proposed {
        kind
        owner
        fundId
        amountCents
      }
    }
  }
`);

export const StartCheckoutMutation = graphql(
  `
    mutation StartCheckout($input: StartCheckoutInput!) {
      startCheckout(input: $input) {
        ...CheckoutFields
      }
    }
  `,
  [CheckoutFields],
);

export const CheckoutQuery = graphql(
  `
    query Checkout($id: ID!) {
      checkout(id: $id) {
        ...CheckoutFields
      }
    }
  `,
  [CheckoutFields],
);

export const MyCheckoutsQuery = graphql(
  `
    query MyCheckouts {
      myCheckouts {
        ...CheckoutFields
      }
    }
  `,
  [CheckoutFields],
);

export const RefreshCheckoutMutation = graphql(
  `
    mutation RefreshCheckout($id: ID!) {
      refreshCheckout(id: $id) {
        ...CheckoutFields
      }
    }
  `,
  [CheckoutFields],
);

export const CancelCheckoutMutation = graphql(
  `
    mutation CancelCheckout($id: ID!) {
      cancelCheckout(id: $id) {
        ...CheckoutFields
      }
    }
  `,
  [CheckoutFields],
);

export const RefundCheckoutMutation = graphql(
  `
    mutation RefundCheckout($input: RefundCheckoutInput!) {
      refundCheckout(input: $input) {
        ...CheckoutFields
      }
    }
  `,
  [CheckoutFields],
);
