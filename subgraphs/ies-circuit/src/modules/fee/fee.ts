/*
 * The circuit's fees, as pure functions of its rules (no database): the fee of a movement between
 * members (a fixed part plus a share of the amount, capped, like a taxi's fare) and the service fee
 * of a conversion to euro. Integer cents; a share is rounded half up.
 */

/** The rules of a circuit that decide a movement's fee. */
export interface MovementFeeRule {
  feeFixedCents: number;
  feeBasisPoints: number;
  feeMaxCents?: number | null;
  feePayer: 'PAYER' | 'PAYEE';
  welfareExempt: boolean;
}

/** The rules of a circuit that decide a conversion's fee. */
export interface ConversionFeeRule {
  conversionFeeBasisPoints: number;
  conversionFeeMinCents: number;
}

/** `amount * basisPoints / 10,000`, rounded half up, in integer arithmetic. */
export function shareOf(amountCents: number, basisPoints: number): number {
  return Math.floor((amountCents * basisPoints + 5_000) / 10_000);
}

/** A movement's fee and who pays it. */
export interface MovementFee {
  feeCents: number;
  payer: 'PAYER' | 'PAYEE';
  /** What leaves the payer's wallet (the amount, plus the fee when the payer pays it). */
  debitedCents: number;
  /** What reaches the payee's wallet (the amount, less the fee when the payee pays it). */
  receivedCents: number;
}

/**
 * The fee of a movement of `amountCents` between members: the fixed part plus the share, at most
 * the cap; none for a welfare-funded movement when the circuit exempts them. When the payee pays,
 * the fee never exceeds the amount.
 */
export function movementFee(
  rule: MovementFeeRule,
  amountCents: number,
  options: { welfareFunded?: boolean } = {},
): MovementFee {
  let fee =
    options.welfareFunded && rule.welfareExempt
      ? 0
      : rule.feeFixedCents + shareOf(amountCents, rule.feeBasisPoints);
  if (rule.feeMaxCents !== null && rule.feeMaxCents !== undefined)
    fee = Math.min(fee, rule.feeMaxCents);
  if (rule.feePayer === 'PAYEE') fee = Math.min(fee, amountCents);
  return {
    feeCents: fee,
    payer: rule.feePayer,
    debitedCents: rule.feePayer === 'PAYER' ? amountCents + fee : amountCents,
    receivedCents: rule.feePayer === 'PAYEE' ? amountCents - fee : amountCents,
  };
}

/** The service fee of converting `amountCents` of IES to euro: the share, at least the minimum, at most the amount. */
export function conversionFee(rule: ConversionFeeRule, amountCents: number): number {
  const fee = Math.max(
    shareOf(amountCents, rule.conversionFeeBasisPoints),
    rule.conversionFeeMinCents,
  );
  return Math.min(fee, amountCents);
}
