import { DomainError, type ErrorCode, type FieldError, type Localized } from '../errors.js';

/** Why a book operation was refused; stable, for code that must tell the cases apart. */
export type BookErrorReason =
  | 'INVALID_AMOUNT'
  | 'INVALID_INPUT'
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_CONFLICT'
  | 'TRANSFER_NOT_FOUND'
  | 'TRANSFER_CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'HOLD_NOT_PENDING'
  | 'HOLD_EXPIRED';

/**
 * A refusal of the book. Each one is a `DomainError` (code, Italian and English message), so a
 * service can let it through to the client as it is, or catch it by class or `reason`.
 * When the book refuses an operation it has written nothing.
 */
export abstract class BookError extends DomainError {
  abstract readonly reason: BookErrorReason;

  protected constructor(code: ErrorCode, message: Localized, fields?: FieldError[]) {
    super(code, message, fields ? { fields } : {});
    this.name = new.target.name;
  }
}

/** The field message of an amount that is not a whole number of cents in 1..BOOK_MAX_AMOUNT. */
export const INVALID_AMOUNT_DETAIL: Localized = {
  it: "L'importo deve essere un numero intero di centesimi, maggiore di zero e non oltre il massimo.",
  en: 'The amount must be a whole number of cents, above zero and not above the maximum.',
};

/** An amount that is not a whole number of cents in 1..BOOK_MAX_AMOUNT. */
export class InvalidAmount extends BookError {
  readonly reason = 'INVALID_AMOUNT';
  constructor(
    readonly amount: unknown,
    detail: Localized = INVALID_AMOUNT_DETAIL,
  ) {
    super('BAD_USER_INPUT', { it: 'Importo non valido.', en: 'Invalid amount.' }, [
      { field: 'amount', message: detail },
    ]);
  }
}

/**
 * A malformed request: a bad id, the same account on both sides, a bad timeout, code, kind or
 * reference; in a batch, also a bad amount or an id repeated (fields named `transfers.3.amount`).
 */
export class InvalidBookInput extends BookError {
  readonly reason = 'INVALID_INPUT';
  constructor(fields: FieldError[]) {
    super('BAD_USER_INPUT', { it: 'Dati non validi.', en: 'Invalid data.' }, fields);
  }
}

export class AccountNotFound extends BookError {
  readonly reason = 'ACCOUNT_NOT_FOUND';
  constructor(readonly accountId: string) {
    super('NOT_FOUND', { it: 'Conto non trovato.', en: 'Account not found.' });
  }
}

/** An account code (or id) already used by an account with other properties. */
export class AccountConflict extends BookError {
  readonly reason = 'ACCOUNT_CONFLICT';
  constructor(readonly accountCode: string) {
    super('CONFLICT', {
      it: 'Esiste già un conto con questo codice e caratteristiche diverse.',
      en: 'An account with this code and different properties already exists.',
    });
  }
}

/** The hold named by a post or void does not exist (or is not a hold). */
export class TransferNotFound extends BookError {
  readonly reason = 'TRANSFER_NOT_FOUND';
  constructor(readonly transferId: string) {
    super('NOT_FOUND', { it: 'Movimento non trovato.', en: 'Transfer not found.' });
  }
}

/** A transfer id already applied with other fields: the replay is refused, nothing is written. */
export class TransferConflict extends BookError {
  readonly reason = 'TRANSFER_CONFLICT';
  constructor(readonly transferId: string) {
    super('CONFLICT', {
      it: 'Questo identificativo è già stato usato per un movimento diverso.',
      en: 'This id was already used for a different transfer.',
    });
  }
}

export class InsufficientFunds extends BookError {
  readonly reason = 'INSUFFICIENT_FUNDS';
  constructor(
    readonly accountId: string,
    readonly available: number,
    readonly amount: number,
  ) {
    super('CONFLICT', { it: 'Credito insufficiente.', en: 'Insufficient funds.' });
  }
}

/** A post or void of a hold that is already posted, voided or expired. */
export class HoldNotPending extends BookError {
  readonly reason = 'HOLD_NOT_PENDING';
  constructor(
    readonly pendingId: string,
    readonly status: string,
  ) {
    super('CONFLICT', {
      it: 'La prenotazione del credito è già stata chiusa.',
      en: 'The hold has already been resolved.',
    });
  }
}

/** A post of a hold past its expiry (not yet swept by `expire`). */
export class HoldExpired extends BookError {
  readonly reason = 'HOLD_EXPIRED';
  constructor(readonly pendingId: string) {
    super('CONFLICT', {
      it: 'La prenotazione del credito è scaduta.',
      en: 'The hold has expired.',
    });
  }
}
