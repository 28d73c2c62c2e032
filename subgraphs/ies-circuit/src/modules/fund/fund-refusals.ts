import { DomainError, type Localized } from '@welfare/kit';

/*
 * The fund contract's refusals, as IES words them. The shape mirrors corporate-welfare's
 * `modules/fund/fund-refusals.ts` (a CONFLICT or NOT_FOUND with the contract's `reason`, read by
 * payments from `extensions.reason`): the kit has no shared FundRefusal yet, so each fund owner
 * keeps its own (a known debt: moving it into `@welfare/kit/contracts` is a change to both).
 */

/** A refused fund operation, with a stable `reason` of the fund contract (`FUND_REFUSALS`). */
export class FundRefusal extends DomainError {
  constructor(
    readonly reason: string,
    message: Localized,
    code: 'CONFLICT' | 'NOT_FOUND' = 'CONFLICT',
  ) {
    super(code, message);
  }
}

/** The refusals of the IES fund, in Italian and English. */
export const refusals = {
  notCovered: () =>
    new FundRefusal('NOT_COVERED', {
      it: 'Gli IES non possono pagare questo servizio: l’ente non li accetta nel tuo circuito.',
      en: 'IES cannot pay for this service: the provider does not accept them in your circuit.',
    }),
  insufficient: () =>
    new FundRefusal('INSUFFICIENT_FUNDS', {
      it: 'IES insufficienti per questo importo (commissione del circuito compresa).',
      en: 'Not enough IES for this amount (the circuit’s fee included).',
    }),
  holdExpired: () =>
    new FundRefusal('HOLD_EXPIRED', {
      it: 'La prenotazione degli IES è scaduta: sono di nuovo disponibili.',
      en: 'The hold has expired: the IES are available again.',
    }),
  holdClosed: () =>
    new FundRefusal('HOLD_NOT_PENDING', {
      it: 'La prenotazione degli IES è già stata chiusa.',
      en: 'The hold has already been closed.',
    }),
  nothingHeld: () =>
    new FundRefusal(
      'HOLD_NOT_PENDING',
      { it: 'Nessun IES prenotato per questa voce.', en: 'No IES are held for this leg.' },
      'NOT_FOUND',
    ),
  notCaptured: () =>
    new FundRefusal('HOLD_NOT_PENDING', {
      it: 'Si può rimborsare solo un pagamento addebitato.',
      en: 'Only a captured payment can be refunded.',
    }),
  legConflict: () =>
    new FundRefusal('LEG_CONFLICT', {
      it: 'Questa voce di pagamento è già stata usata con altri dati.',
      en: 'This payment leg was already used with other terms.',
    }),
  providerSpent: () =>
    new FundRefusal('INSUFFICIENT_FUNDS', {
      it: 'Il portafoglio IES dell’ente non ha più questo importo da restituire.',
      en: 'The provider’s IES wallet no longer holds this amount to give back.',
    }),
  refundExceeds: (left: number) =>
    new FundRefusal('REFUND_EXCEEDS_CAPTURE', {
      it: `Si possono rimborsare al massimo altri ${left} centesimi di questo pagamento.`,
      en: `At most ${left} more cents of this payment can be refunded.`,
    }),
};

/** Retries `fn` on serialization failures and deadlocks (SQLSTATE 40001 / 40P01). */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      if (i >= attempts || (code !== '40001' && code !== '40P01')) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10));
    }
  }
}
