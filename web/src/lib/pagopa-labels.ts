// Labels of the pagoPA notice pages (Comune and citizen). Pure.
import { enumLabelOf } from './enum-labels';

/** A notice's status (PagopaNoticeStatus); an unknown one shows as sent. */
export const pagopaStatusLabel = (status: string): string =>
  enumLabelOf('PagopaNoticeStatus', status) ?? status;

/** Bootstrap tone of a notice's status badge. */
export const pagopaStatusTone = (status: string): string =>
  status === 'PAID' ? 'success' : status === 'CANCELLED' ? 'secondary' : 'warning';

/** What the reconciliation did with a line (PagopaLineOutcome); an unknown one shows as sent. */
export const pagopaOutcomeLabel = (outcome: string): string =>
  enumLabelOf('PagopaLineOutcome', outcome) ?? outcome;
