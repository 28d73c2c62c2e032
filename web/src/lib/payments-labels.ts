// Labels of the citizen's payments (checkouts): statuses, parts, failure reasons.
import { type FailureKind, failureKind } from './checkout';
import { enumLabelOf } from './enum-labels';
import type { Locale } from './locale';
import { m } from './paraglide/messages';

export const checkoutStatusLabel = (status: string): string =>
  enumLabelOf('CheckoutStatus', status) ?? status;
export const legStatusLabel = (status: string): string =>
  enumLabelOf('CheckoutLegStatus', status) ?? status;
export const legKindLabel = (kind: string): string => enumLabelOf('CheckoutLegKind', kind) ?? kind;

/** Bootstrap Italia badge colour of a checkout's status (the text says it too). */
export function checkoutStatusBadge(status: string): string {
  if (status === 'PAID') return 'bg-success';
  if (status === 'FAILED') return 'bg-danger';
  return 'bg-warning text-dark';
}

/** What pays a part: the fund's name ("Buoni spesa 2026") or the card, in the page's language. */
export const legLabel = (
  leg: { kind: string; labelIt: string; labelEn: string },
  locale: Locale,
): string => (locale === 'en' ? leg.labelEn : leg.labelIt) || legKindLabel(leg.kind);

/** What is paid, in the page's language. */
export const descriptionOf = (
  c: { descriptionIt: string; descriptionEn: string },
  locale: Locale,
): string => (locale === 'en' ? c.descriptionEn : c.descriptionIt);

const FAILURE: Record<FailureKind, () => string> = {
  cancelled: m.checkout_failure_cancelled,
  timeOut: m.checkout_failure_time_out,
  cardDeclined: m.checkout_failure_card_declined,
  card: m.checkout_failure_card,
  fundInsufficient: m.checkout_failure_fund_insufficient,
  fund: m.checkout_failure_fund,
  payable: m.checkout_failure_payable,
  other: m.checkout_failure_other,
};

/** Why a checkout failed, as a sentence. */
export const failureText = (reason: string | null | undefined): string =>
  FAILURE[failureKind(reason)]();
