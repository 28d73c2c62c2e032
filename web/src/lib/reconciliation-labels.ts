// Labels of the money check (the reconciliation's rules), in the page's language.
import { enumLabel, enumLabelOf } from './enum-labels';

/** A rule of the reconciliation (`ReconciliationCheck`); an unknown one shows as sent. */
export function reconCheckLabel(check: string): string {
  return enumLabelOf('ReconciliationCheck', check) ?? check;
}

/** Who ran it: the scheduler or a person (anything but SCHEDULER reads as on demand). */
export function reconTriggerLabel(trigger: string): string {
  return enumLabel('ReconciliationTrigger', trigger === 'SCHEDULER' ? 'SCHEDULER' : 'ON_DEMAND');
}

/** What differs between Stripe and the payments (`ReconciliationMismatchKind`); unknown as sent. */
export function paymentMismatchLabel(kind: string): string {
  return enumLabelOf('ReconciliationMismatchKind', kind) ?? kind;
}
