import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Localized } from '@welfare/kit';
import { romeDay, romeDayStart } from '@welfare/kit/dates';
import type {
  BeginRequest,
  CheckoutRequest,
  DescribeRequest,
  PayableDescription,
  RefundedRequest,
} from '@welfare/kit/contracts';
import type { AccreditationService } from '../accreditation/accreditation.service.js';
import type { OfferPriceKindValue } from '../offer/offer.enums.js';
import { findOffer } from '../offer/offer.repository.js';
import { OfferBookingRefund } from './offer-booking-refund.entity.js';
import type { OfferBooking } from './offer-booking.entity.js';
import { ACTIVE_BOOKING_STATUSES, PAID_PAYMENT_STATUSES } from './offer-booking.enums.js';
import { findBooking, lockBooking } from './offer-booking.repository.js';

/** The kind of payable an offer booking is: its reference is `offer-booking:<bookingId>`. */
export const OFFER_BOOKING_PAYABLE = 'offer-booking';

/** The only service that may call the payable operations. */
export const PAYABLE_CALLERS = ['payments'] as const;

/** How far ahead a checkout may hold a booking (`begin`'s `until`), in minutes. */
export const MAX_CHECKOUT_MINUTES = 60;

/** A refusal of the payable contract, with its `extensions.reason`. */
export class PayableRefusal extends DomainError {
  constructor(
    readonly reason: 'NOT_PAYABLE' | 'PAYMENT_IN_PROGRESS',
    message: Localized,
  ) {
    super('CONFLICT', message);
    this.name = 'PayableRefusal';
  }
}

const NOT_PAYABLE: Localized = {
  it: 'Questa prenotazione non si può pagare (gratuita, annullata, scaduta, già pagata o con un importo diverso).',
  en: 'This booking cannot be paid (free, cancelled, expired, already paid or of another amount).',
};
const IN_PROGRESS: Localized = {
  it: 'Un altro pagamento di questa prenotazione è in corso.',
  en: 'Another payment of this booking is under way.',
};
const NOT_FOUND: Localized = { it: 'Prenotazione non trovata.', en: 'Booking not found.' };

const notPayable = () => new PayableRefusal('NOT_PAYABLE', NOT_PAYABLE);

/** The booking id of an `offer-booking:<id>` reference (NOT_FOUND for any other kind). */
function bookingIdOf(ref: string): string {
  const [kind, id] = ref.split(':');
  if (kind !== OFFER_BOOKING_PAYABLE || !id) throw DomainError.notFound(NOT_FOUND);
  return id;
}

const UNITS: Record<
  Exclude<OfferPriceKindValue, 'FREE'>,
  { it: [string, string]; en: [string, string] }
> = {
  PER_HOUR: { it: ['ora', 'ore'], en: ['hour', 'hours'] },
  PER_SESSION: { it: ['incontro', 'incontri'], en: ['session', 'sessions'] },
  PER_PACKAGE: { it: ['pacchetto', 'pacchetti'], en: ['package', 'packages'] },
};

/** "Nuoto per ragazzi, 12/01/2027, 2 ore". */
function describeBooking(b: OfferBooking): Localized {
  const [y, m, d] = b.serviceDate.split('-');
  const units = b.priceKind === 'FREE' ? null : UNITS[b.priceKind];
  const n = b.quantity === 1 ? 0 : 1;
  return {
    it: `${b.offerTitle}, ${d}/${m}/${y}${units ? `, ${b.quantity} ${units.it[n]}` : ''}`,
    en: `${b.offerTitle}, ${b.serviceDate}${units ? `, ${b.quantity} ${units.en[n]}` : ''}`,
  };
}

/** Whether the booking's time to pay has passed at `now` with nobody holding it (it lapses). */
function overdue(b: OfferBooking, now: Date): boolean {
  if (!ACTIVE_BOOKING_STATUSES.includes(b.status) || !b.payBy || b.payBy > now) return false;
  if (b.paymentStatus === 'PAYMENT_DUE') return true;
  return b.paymentStatus === 'PAYMENT_IN_PROGRESS' && !!b.checkoutUntil && b.checkoutUntil <= now;
}

/** EXPIRED and UNPAID: the place is freed. */
function lapse(b: OfferBooking): void {
  b.status = 'EXPIRED';
  b.paymentStatus = 'UNPAID';
  b.checkoutId = null;
  b.checkoutUntil = null;
}

const paidBy = (b: OfferBooking, checkoutId: string) =>
  PAID_PAYMENT_STATUSES.includes(b.paymentStatus) && b.checkoutId === checkoutId;

/** What a locked step decided: the booking to describe after commit, or the refusal to throw. */
type Step = { booking: OfferBooking } | { refusal: DomainError };

/**
 * Offer bookings as payables (the payable contract of `@welfare/kit/contracts`), for the
 * payments subgraph only (the routes allow no other caller). A priced booking is PAYMENT_DUE
 * until its `payBy`; a checkout `begin`s it (PAYMENT_IN_PROGRESS until the checkout's `until`)
 * and `complete`s it (PAID) or `abandon`s it (due again, or lapsed when its time passed);
 * `refunded` records a refund and may cancel the booking. Every write takes the booking's row
 * lock, so concurrent checkouts of one booking are serialised: exactly one begins, the others are
 * refused PAYMENT_IN_PROGRESS until its `until` passes. A refusal commits what the step found (a
 * lapse) before it is answered.
 */
export class OfferBookingPayableService {
  constructor(
    private readonly accreditations: AccreditationService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** What is owed, for the booking's citizen only (NOT_FOUND for anyone else). No effect. */
  async describe(em: EntityManager, input: DescribeRequest): Promise<PayableDescription> {
    const booking = await findBooking(em, bookingIdOf(input.ref));
    if (!booking || booking.citizenPersonId !== input.personId)
      throw DomainError.notFound(NOT_FOUND);
    return this.description(em, booking);
  }

  /**
   * Checkout `checkoutId` pays the booking until `until` (in the future, at most an hour ahead).
   * Idempotent by checkout. NOT_PAYABLE when not due (free, paid, cancelled, declined, expired,
   * or its time to pay passed: it lapses now) or the amount differs; PAYMENT_IN_PROGRESS while
   * another checkout holds it (until that checkout's `until`, when this one may take over).
   */
  async begin(em: EntityManager, input: BeginRequest): Promise<PayableDescription> {
    const id = bookingIdOf(input.ref);
    const now = this.now();
    const until = new Date(input.until);
    if (until <= now || until.getTime() > now.getTime() + MAX_CHECKOUT_MINUTES * 60_000)
      throw DomainError.badInput([
        {
          field: 'until',
          message: {
            it: `Il limite del pagamento deve essere nel futuro, entro ${MAX_CHECKOUT_MINUTES} minuti.`,
            en: `The checkout's limit must be in the future, within ${MAX_CHECKOUT_MINUTES} minutes.`,
          },
        },
      ]);
    return this.step(em, id, (b) => {
      if (b.citizenPersonId !== input.personId) return DomainError.notFound(NOT_FOUND);
      if (b.checkoutId === input.checkoutId) {
        if (b.amountDueCents !== input.amountCents) return notPayable();
        if (paidBy(b, input.checkoutId)) return null;
        if (b.paymentStatus === 'PAYMENT_IN_PROGRESS' && !overdue(b, now)) return null;
      }
      if (overdue(b, now)) {
        lapse(b);
        return notPayable();
      }
      if (
        !ACTIVE_BOOKING_STATUSES.includes(b.status) ||
        !['PAYMENT_DUE', 'PAYMENT_IN_PROGRESS'].includes(b.paymentStatus) ||
        b.amountDueCents !== input.amountCents
      )
        return notPayable();
      if (b.paymentStatus === 'PAYMENT_IN_PROGRESS' && b.checkoutUntil && b.checkoutUntil > now)
        return new PayableRefusal('PAYMENT_IN_PROGRESS', IN_PROGRESS);
      b.paymentStatus = 'PAYMENT_IN_PROGRESS';
      b.checkoutId = input.checkoutId;
      b.checkoutUntil = until;
      return null;
    });
  }

  /**
   * Every leg of the checkout is captured: the booking is PAID. Idempotent. NOT_PAYABLE unless
   * this checkout holds it (it lapsed, or another checkout took over after this one's `until`:
   * the payments subgraph then gives the money back).
   */
  async complete(em: EntityManager, input: CheckoutRequest): Promise<PayableDescription> {
    const now = this.now();
    return this.step(em, bookingIdOf(input.ref), (b) => {
      if (paidBy(b, input.checkoutId)) return null;
      if (b.paymentStatus !== 'PAYMENT_IN_PROGRESS' || b.checkoutId !== input.checkoutId)
        return notPayable();
      b.paymentStatus = 'PAID';
      b.paidAt = now;
      b.checkoutUntil = null;
      return null;
    });
  }

  /**
   * The checkout failed or was undone: the booking is due again, or lapses if its time to pay
   * has passed. Idempotent; no effect unless this checkout holds it (none on a PAID booking).
   */
  async abandon(em: EntityManager, input: CheckoutRequest): Promise<PayableDescription> {
    const now = this.now();
    return this.step(em, bookingIdOf(input.ref), (b) => {
      if (b.paymentStatus !== 'PAYMENT_IN_PROGRESS' || b.checkoutId !== input.checkoutId)
        return null;
      b.paymentStatus = 'PAYMENT_DUE';
      b.checkoutId = null;
      b.checkoutUntil = null;
      if (overdue(b, now)) lapse(b);
      return null;
    });
  }

  /**
   * Money of the booking paid by `checkoutId` went back: recorded once per `refundId` (the same
   * refund again answers the same; the id with other terms is a CONFLICT). The refunds never
   * exceed the amount paid (BAD_USER_INPUT on `amountCents`). With `cancel`, the booking is
   * cancelled (its place freed). NOT_PAYABLE unless this checkout paid it.
   */
  async refunded(em: EntityManager, input: RefundedRequest): Promise<PayableDescription> {
    const now = this.now();
    return this.step(em, bookingIdOf(input.ref), async (b, tx) => {
      const earlier = await tx.findOne(OfferBookingRefund, { id: input.refundId });
      if (earlier) {
        const same =
          earlier.bookingId === b.id &&
          earlier.checkoutId === input.checkoutId &&
          earlier.amountCents === input.amountCents &&
          earlier.cancel === input.cancel;
        return same
          ? null
          : DomainError.conflict({
              it: 'Questo rimborso è già stato registrato con altri dati.',
              en: 'This refund was already recorded with other terms.',
            });
      }
      if (!paidBy(b, input.checkoutId)) return notPayable();
      if (b.refundedCents + input.amountCents > b.amountDueCents)
        return DomainError.badInput([
          {
            field: 'amountCents',
            message: {
              it: 'I rimborsi superano l’importo pagato.',
              en: 'The refunds exceed the amount paid.',
            },
          },
        ]);
      tx.create(OfferBookingRefund, {
        id: input.refundId,
        bookingId: b.id,
        checkoutId: input.checkoutId,
        amountCents: input.amountCents,
        cancel: input.cancel,
      });
      b.refundedCents += input.amountCents;
      b.paymentStatus = b.refundedCents === b.amountDueCents ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
      if (input.cancel && ACTIVE_BOOKING_STATUSES.includes(b.status)) {
        b.status = 'CANCELLED';
        b.cancelledAt = now;
      }
      return null;
    });
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /**
   * Runs `decide` on the booking under its row lock and commits what it changed; then answers the
   * booking's description, or throws the refusal `decide` answered (after the commit, so that a
   * lapse it found is kept). NOT_FOUND for a missing booking.
   */
  private async step(
    em: EntityManager,
    id: string,
    decide: (
      b: OfferBooking,
      tx: EntityManager,
    ) => DomainError | null | Promise<DomainError | null>,
  ): Promise<PayableDescription> {
    const outcome = await em.transactional(async (tx): Promise<Step> => {
      const booking = await lockBooking(tx, id);
      if (!booking) return { refusal: DomainError.notFound(NOT_FOUND) };
      const refusal = await decide(booking, tx);
      await tx.flush();
      return refusal ? { refusal } : { booking };
    });
    if ('refusal' in outcome) throw outcome.refusal;
    return this.description(em, outcome.booking);
  }

  /** The booking as the payable contract describes it, at this moment. */
  private async description(em: EntityManager, b: OfferBooking): Promise<PayableDescription> {
    const now = this.now();
    const offer = await findOffer(em, b.offerId);
    if (!offer) throw new Error(`Offer ${b.offerId} of booking ${b.id} missing`);
    const accredited = await this.accreditations.isAccredited(em, b.providerId, b.comuneId, now);
    const state = stateOf(b, now);
    const ref = `${OFFER_BOOKING_PAYABLE}:${b.id}`;
    return {
      ref,
      state,
      amountCents: b.amountDueCents,
      description: describeBooking(b),
      personId: b.citizenPersonId,
      // Organisation names are identity's: the payee is named by its id here (see the report).
      payee: { organisationId: b.providerId, name: b.providerId },
      offer: {
        payableRef: ref,
        offerId: b.offerId,
        comuneId: b.comuneId,
        providerId: b.providerId,
        category: offer.category,
        providerAccredited: accredited,
      },
      payBy: b.payBy ? b.payBy.toISOString() : null,
      checkoutId: state === 'IN_PROGRESS' || state === 'PAID' ? b.checkoutId : null,
      // The policy of every offer booking: the citizen cancels before the day of the service.
      cancellableUntil:
        ACTIVE_BOOKING_STATUSES.includes(b.status) && romeDay(now) < b.serviceDate
          ? romeDayStart(b.serviceDate).toISOString()
          : null,
    };
  }
}

/** Where the booking is as a payable at `now` (a lapse not yet recorded counts already). */
function stateOf(b: OfferBooking, now: Date): PayableDescription['state'] {
  if (PAID_PAYMENT_STATUSES.includes(b.paymentStatus)) return 'PAID';
  if (!ACTIVE_BOOKING_STATUSES.includes(b.status) || !b.payBy) return 'NOT_PAYABLE';
  if (b.paymentStatus === 'PAYMENT_IN_PROGRESS' && b.checkoutUntil && b.checkoutUntil > now)
    return 'IN_PROGRESS';
  if (b.paymentStatus === 'PAYMENT_DUE' || b.paymentStatus === 'PAYMENT_IN_PROGRESS')
    return b.payBy > now ? 'DUE' : 'NOT_PAYABLE';
  return 'NOT_PAYABLE';
}
