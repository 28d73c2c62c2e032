import type { EntityManager } from '@mikro-orm/postgresql';
import type { OfferBooking } from './offer-booking.entity.js';

/**
 * What happens to a booking that someone else should hear of: the point where the third sector's
 * notifications (an outbox, in the recipient's language) hook in. Each hook runs inside the
 * transaction that made the change, with its EntityManager, so a row written there (an outbox
 * message) commits or rolls back with it. Every hook is optional; none may throw for a
 * notification it cannot send (it would undo the change).
 */
export interface OfferBookingEvents {
  /**
   * The provider's ADMIN cancelled a confirmed booking (CANCELLED_BY_PROVIDER, `cancelReason`):
   * the citizen who booked (`citizenPersonId`) should be told, with the reason, and that a paid
   * booking is refunded (`refundDue`).
   */
  providerCancelled?(tx: EntityManager, booking: OfferBooking): Promise<void>;
}

/** No notifications (until the outbox is wired in services.ts). */
export const NO_BOOKING_EVENTS: OfferBookingEvents = {};
