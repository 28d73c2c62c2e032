import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef } from '../shared/references.type.js';
import type { OfferBooking } from './offer-booking.entity.js';
import { OfferBookingStatus, type OfferBookingStatusValue } from './offer-booking.enums.js';
import { BookOfferInput } from './offer-booking.input.js';
import type { BookableDay } from './offer-booking.service.js';
import {
  BookingAttendeeType,
  OfferBookableDayType,
  OfferBookingType,
} from './offer-booking.type.js';

@Resolver(() => OfferBookingType)
export class OfferBookingResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [OfferBookingType], {
    description:
      'The caller’s own bookings of offers, latest day first. UNAUTHENTICATED when not logged in.',
  })
  myOfferBookings(@Ctx() ctx: SubgraphContext): Promise<OfferBooking[]> {
    return this.services.offerBookings.mine(ctx.em, ctx.caller);
  }

  @Query(() => [OfferBookingType], {
    description:
      'The bookings of the provider’s offers, earliest day first, optionally of some statuses. The provider’s ADMIN only: FORBIDDEN otherwise.',
  })
  providerOfferBookings(
    @Arg('providerId', () => ID, { description: 'The provider (identity Organisation id).' })
    providerId: string,
    @Arg('statuses', () => [OfferBookingStatus], {
      nullable: true,
      description: 'Only bookings in these statuses (all when omitted).',
    })
    statuses: OfferBookingStatusValue[] | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferBooking[]> {
    return this.services.offerBookings.forProvider(ctx.em, ctx.caller, providerId, statuses);
  }

  @Query(() => OfferBookingType, {
    nullable: true,
    description:
      'One booking, for the citizen who made it or the provider’s ADMIN (null otherwise, as when missing).',
  })
  offerBooking(
    @Arg('id', () => ID, { description: 'The booking’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferBooking | null> {
    return this.services.offerBookings.get(ctx.em, ctx.caller, id);
  }

  @Mutation(() => OfferBookingType, {
    description:
      'Books an offer of the catalogue for a day (a citizen logged in with SPID/CIE: FORBIDDEN otherwise). The amount due is computed here (unit price × quantity); a priced booking is PAYMENT_DUE, to be paid on the platform by `payBy` (its place is held until then). BAD_USER_INPUT (nothing written) lists every invalid field: an offer not in the catalogue (unknown, not published, provider not accredited or suspended), a past day, a quantity outside 1–50. CONFLICT when the day is full or already booked by the caller. Idempotent by `idempotencyKey`.',
  })
  bookOffer(
    @Arg('input', () => BookOfferInput) input: BookOfferInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferBooking> {
    return this.services.offerBookings.book(ctx.em, ctx.caller, input);
  }

  @Query(() => [OfferBookableDayType], {
    description:
      'The next days (from today) an offer of the catalogue can be booked, by its weekly schedule and the calendar (national holidays, the Comune’s patron saint day, the provider’s closures), with the places left on each (a full day has 0). Public; empty for an offer not in the catalogue.',
  })
  offerBookableDays(
    @Arg('offerId', () => ID, { description: 'The offer.' }) offerId: string,
    @Arg('first', () => Int, {
      defaultValue: 30,
      description: 'How many days, 1 to 90 (30 by default).',
    })
    first: number,
    @Ctx() ctx: SubgraphContext,
  ): Promise<BookableDay[]> {
    return this.services.offerBookings.bookableDays(ctx.em, offerId, first);
  }

  @Mutation(() => OfferBookingType, {
    description:
      'Confirms a REQUESTED booking (the provider’s ADMIN; FORBIDDEN otherwise, CONFLICT in another status).',
  })
  confirmOfferBooking(
    @Arg('id', () => ID, { description: 'The booking’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferBooking> {
    return this.services.offerBookings.confirm(ctx.em, ctx.caller, id);
  }

  @Mutation(() => OfferBookingType, {
    description:
      'Declines a REQUESTED booking with a reason, 3 to 500 characters (the provider’s ADMIN; FORBIDDEN otherwise; CONFLICT while it is being paid or once paid: its refund goes through the payments service).',
  })
  declineOfferBooking(
    @Arg('id', () => ID, { description: 'The booking’s id.' }) id: string,
    @Arg('reason', () => String, { description: 'Why, shown to the citizen.' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferBooking> {
    return this.services.offerBookings.decline(ctx.em, ctx.caller, id, reason);
  }

  @Mutation(() => OfferBookingType, {
    description:
      'Cancels the caller’s own booking before the day of the service (FORBIDDEN for someone else’s; CONFLICT on or after the day, when not active, while it is being paid, or once paid: a paid booking is cancelled with its refund through the payments service).',
  })
  cancelOfferBooking(
    @Arg('id', () => ID, { description: 'The booking’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferBooking> {
    return this.services.offerBookings.cancel(ctx.em, ctx.caller, id);
  }

  @Mutation(() => OfferBookingType, {
    description:
      'Cancels a CONFIRMED booking with a reason, 3 to 500 characters, up to the day of the service (the provider’s ADMIN; FORBIDDEN otherwise; CONFLICT in another status, after the day, or while it is being paid). The place is freed; a paid booking becomes `refundDue` until the provider refunds it through the payments service (`refundCheckout`). Audited.',
  })
  cancelOfferBookingAsProvider(
    @Arg('id', () => ID, { description: 'The booking’s id.' }) id: string,
    @Arg('reason', () => String, { description: 'Why, shown to the citizen.' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferBooking> {
    return this.services.offerBookings.cancelByProvider(ctx.em, ctx.caller, id, reason);
  }

  @FieldResolver(() => BookingAttendeeType, {
    nullable: true,
    description:
      'Who attends, when not the citizen who booked (a child, a relative, a non-resident); null when the booker attends.',
  })
  attendee(@Root() booking: OfferBooking): BookingAttendeeType | null {
    if (booking.attendeeGivenName === null || booking.attendeeFamilyName === null) return null;
    return {
      givenName: booking.attendeeGivenName,
      familyName: booking.attendeeFamilyName,
      fiscalCode: booking.attendeeFiscalCode,
      birthDate: booking.attendeeBirthDate ?? '',
    };
  }

  @FieldResolver(() => Boolean, {
    description:
      'True when the provider cancelled a paid booking and has not refunded it in full yet (through the payments service’s `refundCheckout`).',
  })
  refundDue(@Root() booking: OfferBooking): boolean {
    return this.services.offerBookings.refundDue(booking);
  }

  @FieldResolver(() => OrganisationRef, {
    description: 'Who is owed the amount due: the provider (resolved by identity).',
  })
  payee(@Root() booking: OfferBooking): OrganisationRef {
    return { id: booking.providerId };
  }

  @FieldResolver(() => Boolean, {
    description:
      'True while the citizen may cancel: active, the day has not come yet, and neither being paid nor paid (a paid booking is cancelled with its refund, through the payments service).',
  })
  cancellable(@Root() booking: OfferBooking): boolean {
    return this.services.offerBookings.cancellable(booking);
  }
}
