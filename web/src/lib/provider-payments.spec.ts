import { describe, expect, it } from 'vitest';
import {
  bookingIdOf,
  partsBySource,
  payoutMonths,
  refundableCents,
  refundedCents,
  type Payment,
} from './provider-payments';

const voucher = (amountCents: number, refunded = 0) => ({
  kind: 'FUND' as const,
  fundKind: 'VOUCHER',
  amountCents,
  refundedCents: refunded,
});
const card = (amountCents: number, refunded = 0) => ({
  kind: 'CARD' as const,
  fundKind: null,
  amountCents,
  refundedCents: refunded,
});

describe('provider payments', () => {
  const paid: Payment = {
    status: 'PAID',
    paidAt: '2026-11-30T23:30:00Z', // 1 December in Rome
    legs: [voucher(2_000, 500), card(1_000, 250)],
  };

  it('a paid payment can give back what remains; any other nothing', () => {
    expect(refundableCents(paid)).toBe(2_250);
    expect(refundedCents(paid)).toBe(750);
    expect(refundableCents({ ...paid, status: 'FAILED' })).toBe(0);
    expect(refundableCents({ ...paid, status: 'AWAITING_CARD' })).toBe(0);
  });

  it('splits the parts by source: voucher credit, card, other funds', () => {
    expect(
      partsBySource({
        ...paid,
        legs: [...paid.legs, { kind: 'FUND', fundKind: 'IES', amountCents: 300, refundedCents: 0 }],
      }),
    ).toEqual({ VOUCHER: 2_000, CARD: 1_000, OTHER: 300 });
  });

  it('totals per month in Rome, after refunds, newest first; unpaid payments count nothing', () => {
    const months = payoutMonths([
      paid,
      { status: 'PAID', paidAt: '2026-12-05T10:00:00Z', legs: [card(4_000)] },
      { status: 'PAID', paidAt: '2026-11-10T10:00:00Z', legs: [voucher(1_000)] },
      { status: 'FAILED', paidAt: null, legs: [voucher(9_999)] },
      { status: 'PAID', paidAt: null, legs: [voucher(9_999)] },
    ]);
    expect(months).toEqual([
      {
        month: '2026-12',
        VOUCHER: 1_500,
        CARD: 4_750,
        OTHER: 0,
        total: 6_250,
        refunded: 750,
        payments: 2,
      },
      {
        month: '2026-11',
        VOUCHER: 1_000,
        CARD: 0,
        OTHER: 0,
        total: 1_000,
        refunded: 0,
        payments: 1,
      },
    ]);
  });

  it('reads the booking of an offer-booking payable only', () => {
    expect(bookingIdOf('offer-booking:0B9E1A52-8B1C-4B7E-9C1D-2F3A4B5C6D7E')).toBe(
      '0b9e1a52-8b1c-4b7e-9c1d-2f3a4b5c6d7e',
    );
    expect(bookingIdOf('tutoring:0b9e1a52-8b1c-4b7e-9c1d-2f3a4b5c6d7e')).toBeNull();
    expect(bookingIdOf('offer-booking:nope')).toBeNull();
  });
});
