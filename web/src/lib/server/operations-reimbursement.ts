// The portal's operations on third-sector providers in the Comune's reimbursement batches (issue
// 15, item 5): the provider lines of a batch (voucher-funded services, tutoring statements) and
// what the batches paid a provider. Kept apart from operations.ts and reimbursements.ts.
import { graphql } from './graphql';

/** A batch's provider lines and what it held back (staff of its Comune). */
export const ReimbursementProviderLinesQuery = graphql(`
  query ReimbursementProviderLines($id: ID!) {
    reimbursementBatch(id: $id) {
      payeeLines {
        id
        kind
        providerName
        iban
        amountCents
        programmeTitle
        minutes
        hourlyTariffCents
        lessonCount
        periodFrom
        periodTo
      }
      heldBack {
        id
        kind
        providerName
        programmeTitle
        amountCents
        minutes
        reason
      }
    }
  }
`);

/** What the Comunes' batches pay a provider (its ADMINs). */
export const ProviderReimbursementsQuery = graphql(`
  query ProviderReimbursements($providerId: ID!) {
    providerReimbursements(providerId: $providerId) {
      id
      kind
      amountCents
      iban
      campaignTitle
      programmeTitle
      status
      bankDate
      periodTo
    }
  }
`);
