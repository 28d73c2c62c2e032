// Labels of the reimbursement states, in the page's language.
import { m } from '$lib/paraglide/messages';

/** Where a payment is for reimbursement. */
export function reimbStateLabel(state: string): string {
  switch (state) {
    case 'VOIDED':
      return m.reimb_state_voided();
    case 'FLAGGED':
      return m.reimb_state_flagged();
    case 'IN_BATCH':
      return m.reimb_state_in_batch();
    case 'REIMBURSED':
      return m.reimb_state_reimbursed();
    default:
      return m.reimb_state_to_be();
  }
}

/** The Bootstrap Italia colour of a state's badge (text contrast AA on each). */
export function reimbStateTone(state: string): string {
  switch (state) {
    case 'VOIDED':
      return 'secondary';
    case 'FLAGGED':
      return 'danger';
    case 'REIMBURSED':
      return 'success';
    case 'IN_BATCH':
      return 'primary';
    default:
      return 'warning';
  }
}

/** A batch's status. */
export function reimbBatchLabel(status: string): string {
  switch (status) {
    case 'APPROVED':
      return m.reimb_batch_approved();
    case 'PAID':
      return m.reimb_batch_paid();
    case 'DISCARDED':
      return m.reimb_batch_discarded();
    default:
      return m.reimb_batch_draft();
  }
}
