import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { TutoringLesson } from '../tutoring-lesson/tutoring-lesson.entity.js';
import { lessonArg } from '../tutoring-lesson/tutoring-lesson.input.js';
import { TutoringLessonType } from '../tutoring-lesson/tutoring-lesson.type.js';
import {
  bookingType,
  TutoringBookingType,
  TutoringFamilyBookingType,
} from './tutoring-booking.type.js';

/** A family's bookings: its list, booking a lesson, giving a booking up. */
@Resolver(() => TutoringFamilyBookingType)
export class TutoringBookingResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [TutoringFamilyBookingType], {
    description:
      'The caller’s bookings, by lesson start (a family sees only its own). Calendar file: GET /downloads/third-sector/exports/tutoring-lessons.ics.',
  })
  async myTutoringBookings(@Ctx() ctx: SubgraphContext): Promise<TutoringFamilyBookingType[]> {
    const bookings = this.services.tutoring.bookings;
    const rows = await bookings.ofFamily(ctx.em, ctx.caller);
    return rows.map((r) => ({
      booking: bookingType({
        booking: r.booking,
        enrolment: r.enrolment,
        position: r.waitlistPosition,
      }),
      lesson: r.lesson,
      programme: r.programme,
      room: r.room,
      tutorName: r.tutorName,
      cancellable: bookings.cancellable(r.booking, r.lesson, r.programme),
    }));
  }

  @Mutation(() => TutoringBookingType, {
    description:
      'A family books a lesson for its pupil: a seat if one is free, otherwise a place on the waitlist (first come, first served).',
  })
  async bookTutoringLesson(
    @Arg('lessonId', () => ID, lessonArg) lessonId: string,
    @Arg('pupilId', () => ID, { description: 'The family’s enrolled pupil (TutoringPupil.id).' })
    pupilId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringBookingType> {
    const booking = await this.services.tutoring.bookings.book(
      ctx.em,
      ctx.caller,
      lessonId,
      pupilId,
    );
    return bookingType(await this.services.tutoring.bookings.view(ctx.em, booking));
  }

  @Mutation(() => TutoringBookingType, {
    description:
      'A family gives up its seat (until the programme’s notice before the start; CONFLICT later) or leaves the waitlist. A freed seat goes at once to the first on the waitlist.',
  })
  async cancelTutoringBooking(
    @Arg('id', () => ID, { description: 'The booking.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringBookingType> {
    const booking = await this.services.tutoring.bookings.cancel(ctx.em, ctx.caller, id);
    return bookingType(await this.services.tutoring.bookings.view(ctx.em, booking));
  }
}

/** `TutoringLesson.bookings`: the pupils, for the provider only. */
@Resolver(() => TutoringLessonType)
export class TutoringLessonBookingsResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => [TutoringBookingType], {
    nullable: true,
    description:
      'Bookings with the pupils (seats, then the waitlist in order): for the provider’s ADMIN and TUTORs; null for anyone else.',
  })
  async bookings(
    @Root() row: TutoringLesson,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringBookingType[] | null> {
    const views = await this.services.tutoring.bookings.ofLesson(ctx.em, ctx.caller, row);
    return views ? views.map(bookingType) : null;
  }
}
