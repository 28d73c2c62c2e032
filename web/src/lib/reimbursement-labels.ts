// Labels of the reimbursement states, in the page's language.
import { enumLabel, enumLabelOf } from './enum-labels';

/** Where a payment is for reimbursement; an unknown state reads as "to be reimbursed". */
export function reimbStateLabel(state: string): string {
  return (
    enumLabelOf('ReimbursementState', state) ?? enumLabel('ReimbursementState', 'TO_BE_REIMBURSED')
  );
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

/** A batch's status; an unknown one reads as a draft. */
export function reimbBatchLabel(status: string): string {
  return (
    enumLabelOf('ReimbursementBatchStatus', status) ??
    enumLabel('ReimbursementBatchStatus', 'DRAFT')
  );
}
