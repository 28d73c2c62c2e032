import { DomainError, type Localized } from '@welfare/kit';

/**
 * A refused fund operation: a CONFLICT (or NOT_FOUND) with a stable `reason` of the fund contract
 * (`FUND_REFUSALS`), which the payments subgraph reads from the error's `extensions.reason`.
 */
export class FundRefusal extends DomainError {
  constructor(
    readonly reason: string,
    message: Localized,
    code: 'CONFLICT' | 'NOT_FOUND' = 'CONFLICT',
  ) {
    super(code, message);
  }
}

/** The refusals of the fund contract, in Italian and English. */
export const refusals = {
  notCovered: () =>
    new FundRefusal('NOT_COVERED', {
      it: 'Il credito del piano welfare non può pagare questo servizio.',
      en: 'The welfare plan credit cannot pay for this service.',
    }),
  insufficient: () =>
    new FundRefusal('INSUFFICIENT_FUNDS', {
      it: 'Credito del piano welfare insufficiente per questo importo.',
      en: 'Not enough welfare plan credit for this amount.',
    }),
  holdExpired: () =>
    new FundRefusal('HOLD_EXPIRED', {
      it: 'La prenotazione del credito è scaduta: il credito è di nuovo disponibile.',
      en: 'The hold has expired: the credit is available again.',
    }),
  holdClosed: () =>
    new FundRefusal('HOLD_NOT_PENDING', {
      it: 'La prenotazione del credito è già stata chiusa.',
      en: 'The hold has already been closed.',
    }),
  nothingHeld: () =>
    new FundRefusal(
      'HOLD_NOT_PENDING',
      { it: 'Nessun credito prenotato per questa voce.', en: 'No credit is held for this leg.' },
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
  providerPaid: () =>
    new FundRefusal('INSUFFICIENT_FUNDS', {
      it: 'L’azienda ha già pagato questo importo all’ente: il credito non può tornare al piano da qui.',
      en: 'The employer has already paid this amount to the provider: the credit cannot go back to the plan from here.',
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
