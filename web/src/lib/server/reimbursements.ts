// Operations of the reimbursement pages: the shop's dashboard and statement, the Comune's batches
// and misuse flags, and the downloads (statement CSV, SEPA file) through the gateway.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { DownloadTarget } from './downloads';
import { graphql } from './graphql';
import { streamDownload, throwIfForbidden } from './refusals';

export const ShopDashboardQuery = graphql(`
  query ShopReimbursementDashboard(
    $accreditationId: ID!
    $from: String
    $to: String
    $offset: Int!
    $limit: Int!
  ) {
    shopReimbursementDashboard(
      accreditationId: $accreditationId
      from: $from
      to: $to
      offset: $offset
      limit: $limit
    ) {
      from
      to
      total
      totals {
        authorisedCents
        authorisedCount
        voidedCents
        voidedCount
        flaggedCents
        flaggedCount
        inBatchCents
        reimbursedCents
        toBeReimbursedCents
      }
      transactions {
        id
        createdAt
        amountCents
        category
        status
        state
        flagReason
      }
    }
  }
`);

export const MerchantReimbursementShopsQuery = graphql(`
  query MerchantReimbursementShops($merchantId: ID!) {
    merchantAccreditations(merchantId: $merchantId) {
      id
      campaignId
      businessName
      status
    }
    publishedCampaigns {
      id
      title
      comune {
        id
        name
      }
    }
  }
`);

export const ReimbursementBatchesQuery = graphql(`
  query ReimbursementBatches($comuneId: ID!) {
    reimbursementBatches(comuneId: $comuneId) {
      id
      campaignTitle
      cutOff
      status
      totalCents
      paymentCount
      lineCount
      createdAt
      discardedAt
      discardReason
    }
  }
`);

export const ReimbursementPreviewQuery = graphql(`
  query ReimbursementPreview($campaignId: ID!, $cutOff: String!) {
    reimbursementPreview(campaignId: $campaignId, cutOff: $cutOff) {
      id
      businessName
      createdAt
      amountCents
      category
      state
      flagReason
    }
  }
`);

export const ReimbursementBatchQuery = graphql(`
  query ReimbursementBatch($id: ID!) {
    reimbursementBatch(id: $id) {
      batch {
        id
        comuneId
        campaignId
        campaignTitle
        cutOff
        status
        debtorName
        debtorIban
        debtorBic
        totalCents
        paymentCount
        lineCount
        createdAt
        approvedAt
        paidAt
        bankDate
        bankReference
        discardedAt
        discardReason
      }
      lines {
        id
        businessName
        iban
        amountCents
        paymentCount
        periodFrom
        periodTo
      }
      excluded {
        id
        createdAt
        amountCents
        category
        flagReason
      }
    }
  }
`);

export const FlagPaymentMutation = graphql(`
  mutation FlagPaymentMisuse($paymentId: ID!, $reason: String!) {
    flagPaymentMisuse(paymentId: $paymentId, reason: $reason) {
      id
      state
    }
  }
`);

export const ClearPaymentFlagMutation = graphql(`
  mutation ClearPaymentMisuse($paymentId: ID!, $reason: String!) {
    clearPaymentMisuse(paymentId: $paymentId, reason: $reason) {
      id
      state
    }
  }
`);

export const CreateBatchMutation = graphql(`
  mutation CreateReimbursementBatch($input: CreateReimbursementBatchInput!) {
    createReimbursementBatch(input: $input) {
      batch {
        id
      }
    }
  }
`);

export const ApproveBatchMutation = graphql(`
  mutation ApproveReimbursementBatch($id: ID!) {
    approveReimbursementBatch(id: $id) {
      id
      status
    }
  }
`);

export const DiscardBatchMutation = graphql(`
  mutation DiscardReimbursementBatch($id: ID!, $reason: String!) {
    discardReimbursementBatch(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export const MarkBatchPaidMutation = graphql(`
  mutation MarkReimbursementBatchPaid($id: ID!, $input: MarkReimbursementPaidInput!) {
    markReimbursementBatchPaid(id: $id, input: $input) {
      id
      status
    }
  }
`);

/**
 * Streams a public-welfare file to the browser (the caller checked access already); a refusal
 * becomes 403/404, or a redirect to `back` with `esito=<problem>`.
 */
export async function reimbursementDownload(
  event: RequestEvent,
  target: Omit<DownloadTarget, 'subgraph'>,
  back: string,
): Promise<Response> {
  const file = await streamDownload(event, { subgraph: 'public-welfare', ...target });
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'notFound') error(404, 'Not found');
  const notice = file.problem === 'unavailable' ? 'non-disponibile' : 'file-rifiutato';
  redirect(303, `${back}${back.includes('?') ? '&' : '?'}esito=${notice}`);
}
