import type { EntityManager } from '@mikro-orm/postgresql';
import { HoldNotPending } from '@welfare/kit/book';
import {
  FundLegBook,
  unknownFundLeg,
  type FundLeg,
  type FundOption,
  type FundPerson,
  type HoldRequest,
  type QuoteRequest,
  type QuoteResponse,
  type RefundRequest,
} from '@welfare/kit/contracts';
import { limitIdleInTransaction } from '@welfare/kit/deadline';
import { normaliseFiscalCode } from '@welfare/kit/pii';
import { withRetry } from '@welfare/kit/sql';
import { movementFee, type MovementFeeRule } from '../fee/fee.js';
import {
  TransferCode,
  book,
  deterministicId,
  openCircuitAccounts,
  openWallet,
} from '../ledger/ledger.js';
import { refusals } from './fund-refusals.js';
import { payingCircuits, type PayingCircuit } from './fund.repository.js';

/** The book's transfer ids of a leg's operations: the same leg always names the same transfers. */
const legTransferIds = {
  hold: (legId: string) => deterministicId('ies-fund-hold', legId),
  feeHold: (legId: string) => deterministicId('ies-fund-fee-hold', legId),
  capture: (legId: string) => deterministicId('ies-fund-capture', legId),
  feeCapture: (legId: string) => deterministicId('ies-fund-fee-capture', legId),
  payeeFee: (legId: string) => deterministicId('ies-fund-payee-fee', legId),
  release: (legId: string) => deterministicId('ies-fund-release', legId),
  feeRelease: (legId: string) => deterministicId('ies-fund-fee-release', legId),
  refund: (refundId: string) => deterministicId('ies-fund-refund', refundId),
};

/** The start of the references of a leg's transfers (`ies-fund-leg:<legId>;...`). */
const legPrefix = (legId: string) => `ies-fund-leg:${legId};`;

const ids = legTransferIds;

/**
 * A leg's transfers in the circuit's book (the fee's own transfers are this module's). The hold's
 * terms name the fund as `circuit:<id>` and are followed by the fee decided at the hold.
 */
const legs = new FundLegBook({
  book,
  ids,
  legPrefix,
  codes: { payment: TransferCode.SERVICE_PAYMENT, refund: TransferCode.SERVICE_REFUND },
  lockScope: 'ies-fund-leg',
  refusals,
});

/** The fee decided at the hold, written in its reference (`...;fee:<cents>:<PAYER|PAYEE>`). */
function feeOf(reference: string): { circuitId: string; feeCents: number; payer: string } {
  const circuit = /;circuit:([0-9a-f-]{36});/.exec(reference);
  const fee = /;fee:(\d+):(PAYER|PAYEE)$/.exec(reference);
  if (!circuit || !fee) throw new Error(`fund: malformed hold reference ${reference}`);
  return { circuitId: circuit[1]!, feeCents: Number(fee[1]), payer: fee[2]! };
}

/**
 * The largest part of `amountCents` the wallet can pay with the circuit's fee on top (when the payer
 * pays it): `x + fee(x) <= available`. Fees grow with the amount, so a binary search finds it.
 */
export function spendableWith(
  rule: MovementFeeRule,
  availableCents: number,
  amountCents: number,
): number {
  let low = 0;
  let high = Math.min(availableCents, amountCents);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (movementFee(rule, mid).debitedCents <= availableCents) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The IES circuit as a fund owner (the fund contract of `@welfare/kit/contracts`, called by the
 * payments subgraph only): a citizen's IES pay a catalogue service when the citizen (by the codice
 * fiscale of their SPID/CIE login: none, no IES) is an ACTIVE member of an ACTIVE circuit in which
 * the offer's provider is an ACTIVE member that accepts IES. One option per such circuit (the
 * fund id is the circuit's id); any category; accreditation is the Comune's matter, not the
 * circuit's (reported, not required).
 *
 * A catalogue service paid with IES is a movement between members like any other: it pays the
 * circuit's movement fee (never welfare-funded: the IES are the citizen's own). When the payer
 * pays it, the hold reserves it too (a second pending transfer, wallet → fees), so the checkout
 * never captures more than the wallet holds; when the payee pays it, it is taken from the
 * provider's wallet at the capture. The fee is decided at the hold and written in its reference:
 * a rules change in between does not change a held payment. A refund gives back the service's
 * amount, not the fee (the movement happened).
 *
 * Money moves in the circuit's book: the hold is a pending SERVICE_PAYMENT from the citizen's wallet
 * to the provider's member wallet, its id derived from the leg id; the capture posts it (and the
 * fee), the release voids it, a lapsed hold expires; a refund (SERVICE_REFUND) goes back from the
 * provider's wallet. The book's CHECK keeps a wallet from going below zero, whatever runs at once.
 */
export class FundService {
  /** What the person can spend on the offer: one option per circuit where IES pay it. No effect. */
  async quote(em: EntityManager, request: QuoteRequest): Promise<QuoteResponse> {
    const circuits = await this.circuits(em, request.person, request.offer.providerId);
    const options: FundOption[] = circuits.map(({ circuit, availableCents }) => ({
      fundId: circuit.id,
      kind: 'IES',
      label: { it: `IES – ${circuit.name}`, en: `IES – ${circuit.name}` },
      balanceCents: availableCents,
      spendableCents: spendableWith(circuit, availableCents, request.amountCents),
      // IES are the member's own money in the territory: not restricted to some uses.
      restricted: false,
      endsOn: null,
      rule: {
        categoryCovered: true,
        providerAccredited: request.offer.providerAccredited,
        spendFrom: null,
        spendUntil: null,
      },
    }));
    return { options };
  }

  /**
   * Holds `amountCents` of the citizen's IES (and the fee, when the payer pays it) for the leg until
   * `expiresAt` (capped at the book's MAX_HOLD_SECONDS). The same leg again answers its hold as it
   * is now; with other terms it is a LEG_CONFLICT.
   */
  hold(em: EntityManager, request: HoldRequest): Promise<FundLeg> {
    const legId = request.legId.toLowerCase();
    const terms = legs.terms(request, 'circuit');
    return legs.hold(em, request, {
      terms,
      sameTerms: (reference) => reference.startsWith(`${terms};fee:`),
      cover: async () => {
        const circuits = await this.circuits(em, request.person, request.offer.providerId);
        const paying = circuits.find((c) => c.circuit.id === request.fundId.toLowerCase());
        if (!paying) throw refusals.notCovered();
        return { paying, fee: movementFee(paying.circuit, request.amountCents) };
      },
      place: async (tx, { paying, fee }, holdId, timeoutSeconds) => {
        const from = await openWallet(tx, paying.citizen);
        const to = await openWallet(tx, paying.provider);
        const held = await book.hold(tx, {
          id: holdId,
          debit: from,
          credit: to,
          amount: request.amountCents,
          code: TransferCode.SERVICE_PAYMENT,
          reference: `${terms};fee:${fee.feeCents}:${fee.payer}`,
          timeoutSeconds,
        });
        if (fee.payer === 'PAYER' && fee.feeCents > 0) {
          const accounts = await openCircuitAccounts(tx, paying.circuit.id);
          await book.hold(tx, {
            id: ids.feeHold(legId),
            debit: from,
            credit: accounts.fees,
            amount: fee.feeCents,
            code: TransferCode.FEE,
            reference: `${legPrefix(legId)}fee`,
            timeoutSeconds,
          });
        }
        return held;
      },
    });
  }

  /** Posts the leg's hold and its fee: the IES reach the provider's wallet. Idempotent. */
  capture(em: EntityManager, legId: string): Promise<FundLeg> {
    return legs.capture(em, legId, (leg) =>
      withRetry(() =>
        em.fork().transactional(async (tx) => {
          await limitIdleInTransaction(tx, 10_000);
          await book.post(tx, { id: ids.capture(leg), pendingId: ids.hold(leg) });
          const [held] = await book.transfersById(tx, [ids.hold(leg)]);
          const fee = feeOf(held!.reference ?? '');
          if (fee.feeCents === 0) return;
          if (fee.payer === 'PAYER') {
            await book.post(tx, { id: ids.feeCapture(leg), pendingId: ids.feeHold(leg) });
          } else {
            const accounts = await openCircuitAccounts(tx, fee.circuitId);
            await book.transfer(tx, {
              id: ids.payeeFee(leg),
              debit: held!.creditAccountId,
              credit: accounts.fees,
              amount: fee.feeCents,
              code: TransferCode.FEE,
              reference: `${legPrefix(leg)}fee`,
            });
          }
        }),
      ),
    );
  }

  /**
   * Voids the leg's hold and its fee's: the IES are the citizen's again. Idempotent; a leg never
   * held answers UNKNOWN and a lapsed one EXPIRED; a captured leg is refused (HOLD_NOT_PENDING).
   */
  async release(em: EntityManager, legId: string): Promise<FundLeg> {
    const leg = legId.toLowerCase();
    const found = await book.transfersById(em, [ids.hold(leg), ids.feeHold(leg)]);
    const hold = found.find((t) => t.id === ids.hold(leg));
    const feeHold = found.find((t) => t.id === ids.feeHold(leg));
    if (!hold) return unknownFundLeg(leg);
    try {
      await em.fork().transactional(async (tx) => {
        await book.void(tx, { id: ids.release(leg), pendingId: ids.hold(leg) });
        if (feeHold) await book.void(tx, { id: ids.feeRelease(leg), pendingId: ids.feeHold(leg) });
      });
    } catch (err) {
      if (!(err instanceof HoldNotPending) || err.status === 'POSTED') {
        throw err instanceof HoldNotPending ? refusals.holdClosed() : err;
      }
      // Lapsed: nothing is held any more (the book expires both holds together).
      await legs.expireLapsed(em);
    }
    return legs.leg(em, leg);
  }

  /**
   * Gives back `amountCents` of a captured leg to the citizen's wallet, idempotent by `refundId`.
   * A leg's refunds are serialised (a lock per leg) and together never exceed the captured amount
   * (REFUND_EXCEEDS_CAPTURE); the same refund id with another leg or amount is a LEG_CONFLICT;
   * INSUFFICIENT_FUNDS when the provider's wallet no longer holds it. The fee is not given back.
   */
  refund(em: EntityManager, request: RefundRequest): Promise<FundLeg> {
    return legs.refund(em, request);
  }

  /** The leg as the book has it (UNKNOWN when it was never held). */
  leg(em: EntityManager, legId: string): Promise<FundLeg> {
    return legs.leg(em, legId);
  }

  /** The circuits where the person's IES can pay the provider: none without a codice fiscale. */
  private circuits(
    em: EntityManager,
    person: FundPerson,
    providerId: string,
  ): Promise<PayingCircuit[]> {
    if (!person.fiscalCode) return Promise.resolve([]);
    return payingCircuits(em, normaliseFiscalCode(person.fiscalCode), providerId.toLowerCase());
  }
}
