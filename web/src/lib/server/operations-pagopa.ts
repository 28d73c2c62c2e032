// The portal's operations on pagoPA notices (payments subgraph), typed by gql.tada.
import { graphql } from './graphql';

export const PagopaNoticesQuery = graphql(`
  query PagopaNotices($comuneId: ID!, $status: PagopaNoticeStatus, $search: String) {
    organisation(id: $comuneId) {
      id
      kind
      name
    }
    pagopaNotices(comuneId: $comuneId, status: $status, search: $search) {
      id
      debtorFiscalCode
      debtorName
      reason
      amountCents
      dueDate
      noticeNumber
      noticeNumberGrouped
      status
      paidAt
    }
  }
`);

export const PagopaNoticeQuery = graphql(`
  query PagopaNotice($id: ID!) {
    pagopaNotice(id: $id) {
      id
      comuneId
      creditorName
      creditorFiscalCode
      debtorFiscalCode
      debtorName
      reason
      amountCents
      dueDate
      iuv
      noticeNumber
      noticeNumberGrouped
      qrPayload
      status
      paidAt
      paidAmountCents
      psp
      iur
      createdAt
    }
  }
`);

export const MyPagopaNoticesQuery = graphql(`
  query MyPagopaNotices {
    myPagopaNotices {
      id
      creditorName
      reason
      amountCents
      dueDate
      noticeNumberGrouped
      status
      paidAt
    }
  }
`);

export const IssuePagopaNoticeMutation = graphql(`
  mutation IssuePagopaNotice($input: IssuePagopaNoticeInput!) {
    issuePagopaNotice(input: $input) {
      id
    }
  }
`);

export const CancelPagopaNoticeMutation = graphql(`
  mutation CancelPagopaNotice($id: ID!) {
    cancelPagopaNotice(id: $id) {
      id
      status
    }
  }
`);

export const ReconcilePagopaFlowMutation = graphql(`
  mutation ReconcilePagopaFlow($comuneId: ID!, $xml: String!) {
    reconcilePagopaFlow(comuneId: $comuneId, xml: $xml) {
      flowId
      pspName
      settlementDate
      paidCount
      lines {
        index
        iuv
        iur
        amountCents
        outcome
        expectedCents
        messageIt
        messageEn
      }
    }
  }
`);
