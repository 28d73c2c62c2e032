import { describe, expect, it } from 'vitest';
import { conversionFee, movementFee, shareOf } from '../src/modules/fee/fee.js';

const RULE = {
  feeFixedCents: 5,
  feeBasisPoints: 100,
  feeMaxCents: 100,
  feePayer: 'PAYER' as const,
  welfareExempt: true,
};

describe('fees', () => {
  it('round a share half up in integer cents', () => {
    expect(shareOf(250, 100)).toBe(3); // 2.5 -> 3
    expect(shareOf(249, 100)).toBe(2);
    expect(shareOf(0, 100)).toBe(0);
  });

  it('charge the fixed part plus the share, at most the cap, to the payer', () => {
    expect(movementFee(RULE, 1_000)).toEqual({
      feeCents: 15,
      payer: 'PAYER',
      debitedCents: 1_015,
      receivedCents: 1_000,
    });
    expect(movementFee(RULE, 1_000_000).feeCents).toBe(100);
  });

  it('take the fee out of what the payee receives, never more than the amount', () => {
    const payee = { ...RULE, feePayer: 'PAYEE' as const };
    expect(movementFee(payee, 1_000)).toMatchObject({ debitedCents: 1_000, receivedCents: 985 });
    expect(movementFee(payee, 3)).toMatchObject({ feeCents: 3, receivedCents: 0 });
  });

  it('exempt welfare-funded movements when the circuit says so', () => {
    expect(movementFee(RULE, 1_000, { welfareFunded: true }).feeCents).toBe(0);
    expect(
      movementFee({ ...RULE, welfareExempt: false }, 1_000, { welfareFunded: true }).feeCents,
    ).toBe(15);
  });

  it('charge a conversion its share, at least the minimum, at most the amount', () => {
    const rule = { conversionFeeBasisPoints: 200, conversionFeeMinCents: 50 };
    expect(conversionFee(rule, 10_000)).toBe(200);
    expect(conversionFee(rule, 1_000)).toBe(50);
    expect(conversionFee(rule, 30)).toBe(30);
  });
});
