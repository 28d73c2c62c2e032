// Operations of the provider's payments area (Stripe onboarding, payments received, refunds) and
// of the platform admins' Stripe reconciliation (payments subgraph). Server-only.
import { graphql } from './graphql';

export const ProviderPaymentsQuery = graphql(`
  query ProviderPayments($organisationId: ID!) {
    paymentAccount(organisationId: $organisationId) {
      organisationId
      chargesEnabled
      detailsSubmitted
      createdAt
      updatedAt
    }
    payeeCheckouts(organisationId: $organisationId) {
      id
      payableRef
      amountCents
      descriptionIt
      descriptionEn
      status
      createdAt
      paidAt
      payee {
        id
        name
      }
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

export const StartPaymentOnboardingMutation = graphql(`
  mutation StartPaymentOnboarding($organisationId: ID!) {
    startPaymentOnboarding(organisationId: $organisationId) {
      url
    }
  }
`);

export const RefundPaymentMutation = graphql(`
  mutation RefundPayment($input: RefundCheckoutInput!) {
    refundCheckout(input: $input) {
      id
      status
      legs {
        id
        refundedCents
      }
    }
  }
`);

export const PaymentReconciliationsQuery = graphql(`
  query PaymentReconciliations($limit: Int!) {
    paymentReconciliations(limit: $limit) {
      id
      startedAt
      finishedAt
      windowStart
      balanceTransactions
      cardPayments
      mismatchCount
      mismatches {
        id
        kind
        stripeAccountId
        balanceTransactionId
        sourceId
        cardPaymentId
        cardRefundId
        stripeAmount
        ourAmount
      }
    }
  }
`);
