// Operations of the citizen's payments (payments subgraph): the checkout of a booking, the card
// page's return, the list of payments and the receipt. Server-only.
import { graphql } from './graphql';

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

export const StartCheckoutMutation = graphql(`
  mutation StartCheckout($input: StartCheckoutInput!) {
    startCheckout(input: $input) {
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
  }
`);

export const CheckoutQuery = graphql(`
  query Checkout($id: ID!) {
    checkout(id: $id) {
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
  }
`);

export const MyCheckoutsQuery = graphql(`
  query MyCheckouts {
    myCheckouts {
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
  }
`);

export const RefreshCheckoutMutation = graphql(`
  mutation RefreshCheckout($id: ID!) {
    refreshCheckout(id: $id) {
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
  }
`);

export const CancelCheckoutMutation = graphql(`
  mutation CancelCheckout($id: ID!) {
    cancelCheckout(id: $id) {
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
  }
`);

export const RefundCheckoutMutation = graphql(`
  mutation RefundCheckout($input: RefundCheckoutInput!) {
    refundCheckout(input: $input) {
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
  }
`);
