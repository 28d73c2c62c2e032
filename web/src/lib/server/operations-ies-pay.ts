// The portal's operations on IES payments between members (ies-circuit), typed by gql.tada.
import { graphql } from './graphql';

const PaymentRequestFields = graphql(`
  fragment IesPaymentRequestFields on IesPaymentRequest @_unmask {
    id
    circuitCode
    circuitName
    payPath
    payeeName
    amountCents
    description
    expiresAt
    expired
    status
    own
    fee {
      feeCents
      payer
      debitedCents
      receivedCents
    }
  }
`);

const PaymentFields = graphql(`
  fragment IesPaymentFields on IesPayment @_unmask {
    id
    idempotencyKey
    circuitCode
    payerName
    payeeName
    amountCents
    feeCents
    feePayer
    debitedCents
    receivedCents
    description
    createdAt
  }
`);

export const IesCircuitsForPayQuery = graphql(`
  query IesCircuitsForPay {
    iesCircuits {
      code
      name
    }
  }
`);

export const CreateIesPaymentRequestMutation = graphql(
  `
    mutation CreateIesPaymentRequest($input: IesPaymentRequestInput!) {
      createIesPaymentRequest(input: $input) {
        ...IesPaymentRequestFields
      }
    }
  `,
  [PaymentRequestFields],
);

export const IesPaymentRequestQuery = graphql(
  `
    query IesPaymentRequest($id: ID!, $amountCents: Int) {
      iesPaymentRequest(id: $id, amountCents: $amountCents) {
        ...IesPaymentRequestFields
      }
    }
  `,
  [PaymentRequestFields],
);

export const PayIesPaymentRequestMutation = graphql(
  `
    mutation PayIesPaymentRequest($input: IesPayInput!) {
      payIesPaymentRequest(input: $input) {
        ...IesPaymentFields
      }
    }
  `,
  [PaymentFields],
);

export const IesPaymentByKeyQuery = graphql(
  `
    query IesPaymentByKey($key: ID!) {
      iesPayment(idempotencyKey: $key) {
        ...IesPaymentFields
      }
    }
  `,
  [PaymentFields],
);

export const MyIesPaymentsQuery = graphql(
  `
    query MyIesPayments($circuitCode: String!, $organisationId: ID) {
      myIesPayments(circuitCode: $circuitCode, organisationId: $organisationId) {
        ...IesPaymentFields
      }
    }
  `,
  [PaymentFields],
);
