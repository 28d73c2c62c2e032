// The provider's payments page, computed: what a payment can still give back, its parts by
// source, and the payouts (totals per month and per source). Pure: unit-tested in
// provider-payments.spec.ts. Amounts are integer cents.
import { romeDayOf } from './dates';

/** What pays a part, as the provider is paid for it. */
export type PayoutSource = 'VOUCHER' | 'CARD' | 'OTHER';

/** The parts of a payment as the page reads them (the API's Checkout legs). */
export interface PaymentLeg {
  kind: 'FUND' | 'CARD';
  fundKind: string | null;
  amountCents: number;
  refundedCents: number;
}

/** A payment as the page reads it (the API's Checkout). */
export interface Payment {
  status: string;
  paidAt: string | null;
  legs: readonly PaymentLeg[];
}

/**
 * Where a part's money comes to the provider from: voucher credit is owed by the Comune (in its
 * reimbursement batches), a card payment is paid by Stripe directly; other funds (an employer's
 * welfare credit, IES) have their own payers.
 */
export function sourceOf(leg: PaymentLeg): PayoutSource {
  if (leg.kind === 'CARD') return 'CARD';
  return leg.fundKind === 'VOUCHER' ? 'VOUCHER' : 'OTHER';
}

/** What a PAID payment can still give back (0 for any other status). */
export function refundableCents(payment: Payment): number {
  if (payment.status !== 'PAID') return 0;
  return payment.legs.reduce((sum, leg) => sum + leg.amountCents - leg.refundedCents, 0);
}

/** What was given back of a payment. */
export function refundedCents(payment: Payment): number {
  return payment.legs.reduce((sum, leg) => sum + leg.refundedCents, 0);
}

/** A payment's parts by source, as paid (before refunds). */
export function partsBySource(payment: Payment): Record<PayoutSource, number> {
  const parts: Record<PayoutSource, number> = { VOUCHER: 0, CARD: 0, OTHER: 0 };
  for (const leg of payment.legs) parts[sourceOf(leg)] += leg.amountCents;
  return parts;
}

/** One month of payouts: what the provider keeps, per source, after refunds. */
export interface PayoutMonth {
  /** `yyyy-mm`, in Rome. */
  month: string;
  VOUCHER: number;
  CARD: number;
  OTHER: number;
  total: number;
  /** Given back in refunds (already taken off the sources). */
  refunded: number;
  /** Paid payments in the month. */
  payments: number;
}

/**
 * The payouts: per month the payment was paid in (Rome), newest first, what each source owes the
 * provider after refunds. Payments that are not PAID (failed, in progress) count for nothing.
 */
export function payoutMonths(payments: readonly Payment[]): PayoutMonth[] {
  const months = new Map<string, PayoutMonth>();
  for (const payment of payments) {
    if (payment.status !== 'PAID' || !payment.paidAt) continue;
    const month = romeDayOf(payment.paidAt).slice(0, 7);
    let row = months.get(month);
    if (!row) {
      row = { month, VOUCHER: 0, CARD: 0, OTHER: 0, total: 0, refunded: 0, payments: 0 };
      months.set(month, row);
    }
    row.payments += 1;
    for (const leg of payment.legs) {
      const kept = leg.amountCents - leg.refundedCents;
      row[sourceOf(leg)] += kept;
      row.total += kept;
      row.refunded += leg.refundedCents;
    }
  }
  return [...months.values()].sort((a, b) => b.month.localeCompare(a.month));
}

/** The booking a payment pays (`offer-booking:<id>`), or null for another kind of payable. */
export function bookingIdOf(payableRef: string): string | null {
  const match = /^offer-booking:([0-9a-f-]{36})$/i.exec(payableRef);
  return match ? match[1]!.toLowerCase() : null;
}
